package dev.loss4j.python;

import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Value;

/**
 * The few conversions the Python shim needs, each one crossing the language boundary once, in bulk:
 * Python hands over {@code bytes} (read here as one {@code byte[]}), and gets data back as one string
 * whose characters are the little-endian bytes (ISO-8859-1), which Python turns into an
 * {@code array.array} natively. Nothing here goes element by element across the boundary.
 */
public final class ShimBridge {
  private ShimBridge() {}

  /** A tensor of {@code dtype} and {@code shape} from the raw little-endian bytes of a Python buffer. */
  public static Tensor fromBytes(Value bytes, String dtype, int[] shape) {
    byte[] raw = bytes.as(byte[].class);
    return new TensorBuilder(DType.fromName(dtype), shape).readBytes(raw).build();
  }

  /** A leaf variable over {@link #fromBytes}. */
  public static Variable leafFromBytes(Value bytes, String dtype, int[] shape, boolean requiresGrad) {
    return Variable.leaf(fromBytes(bytes, dtype, shape), requiresGrad);
  }

  /** The tensor's bytes as an ISO-8859-1 string: one char a byte, which Python encodes back for free. */
  public static String toLatin1(Tensor t) {
    return new String(t.toBytes(), StandardCharsets.ISO_8859_1);
  }

  /** The dtype's position in {@link DType#values()}: the shim maps it to its dtype object in one call. */
  public static int dtypeCode(Variable v) {
    return v.data().dtype().ordinal();
  }

  /**
   * {@code tensor.item()}: the one element as a Python float, int or bool (a {@code Double}, {@code Long}
   * or {@code Boolean} here), in one call.
   */
  public static Object item(Variable v) {
    Tensor t = v.data();
    if (t.numel() != 1) {
      throw new RuntimeError("a Tensor with " + t.numel() + " elements cannot be converted to Scalar");
    }
    return switch (t.dtype()) {
      case INT64 -> t.getLong(0);
      case BOOL -> t.getDouble(0) != 0;
      default -> t.getDouble(0);
    };
  }

  /** PyTorch's repr of a variable, with its grad_fn or requires_grad suffix. */
  public static String repr(Variable v) {
    return v.toString();
  }
}
