package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.List;

/**
 * Matrix products with autograd: {@code torch.mm} ({@code MmBackward0}: dA = G B^T, dB = A^T G),
 * {@code torch.mv} ({@code MvBackward0}), {@code torch.dot} ({@code DotBackward0}) and {@code torch.matmul} /
 * {@code @} for operands of 1 or 2 dims, which dispatch to these as PyTorch does. Both operands must share a
 * dtype, as in PyTorch; products accumulate in double and round once.
 */
public final class Linalg {
  private Linalg() {}

  public static Variable matmul(Variable a, Variable b) {
    int da = a.data().dim();
    int db = b.data().dim();
    if (da == 0 || db == 0) {
      throw new RuntimeError("both arguments to matmul need to be at least 1D, but they are " + da + "D and " + db + "D");
    }
    if (da == 1 && db == 1) {
      return dot(a, b);
    }
    if (da == 2 && db == 1) {
      return mv(a, b);
    }
    if (da == 1 && db == 2) {
      // ATen: unsqueeze(0), mm, then squeeze_(-2) whose grad_fn is SqueezeBackward3
      return Views.reshapeNamed(mm(Views.unsqueeze(a, 0), b), new int[] {b.data().size(1)}, "SqueezeBackward4");
    }
    if (da == 2 && db == 2) {
      return mm(a, b);
    }
    throw new NotImplementedError("batched matmul is not supported by loss4j");
  }

  public static Variable mm(Variable a, Variable b) {
    Tensor x = a.data();
    Tensor y = b.data();
    if (x.dim() != 2) {
      throw new RuntimeError("self must be a matrix");
    }
    if (y.dim() != 2) {
      throw new RuntimeError("mat2 must be a matrix");
    }
    if (x.size(1) != y.size(0)) {
      throw new RuntimeError("mat1 and mat2 shapes cannot be multiplied (" + x.size(0) + "x" + x.size(1) + " and "
          + y.size(0) + "x" + y.size(1) + ")");
    }
    if (x.dtype() != y.dtype()) {
      throw new RuntimeError("expected m1 and m2 to have the same dtype, but got: " + x.dtype().cTypeName() + " != "
          + y.dtype().cTypeName());
    }
    return Kernels.record(new Product("MmBackward0"), a, b);
  }

  public static Variable mv(Variable a, Variable b) {
    Tensor x = a.data();
    Tensor y = b.data();
    if (x.dim() != 2 || y.dim() != 1) {
      throw new RuntimeError("vector + matrix @ vector expected, got 1, " + x.dim() + ", " + y.dim());
    }
    if (x.size(1) != y.size(0)) {
      throw new RuntimeError("size mismatch, got " + x.size(0) + ", " + x.size(0) + "x" + x.size(1) + "," + y.size(0));
    }
    if (x.dtype() != y.dtype()) {
      // addmv's message: the result (made like the vector), the matrix, the vector.
      throw new RuntimeError("addmv input tensors must have the same dtype, but got " + y.dtype().scalarTypeName()
          + ", " + x.dtype().scalarTypeName() + ", and " + y.dtype().scalarTypeName());
    }
    return Kernels.record(new Product("MvBackward0"), a, b);
  }

  public static Variable dot(Variable a, Variable b) {
    Tensor x = a.data();
    Tensor y = b.data();
    if (x.dim() != 1 || y.dim() != 1) {
      throw new RuntimeError("1D tensors expected, but got " + x.dim() + "D and " + y.dim() + "D tensors");
    }
    if (x.size(0) != y.size(0)) {
      throw new RuntimeError("inconsistent tensor size, expected tensor [" + x.size(0) + "] and src [" + y.size(0)
          + "] to have the same number of elements, but got " + x.size(0) + " and " + y.size(0) + " elements respectively");
    }
    checkDtypes(x, y);
    return Kernels.record(new Product("DotBackward0"), a, b);
  }

  private static void checkDtypes(Tensor x, Tensor y) {
    if (x.dtype() != y.dtype()) {
      throw new RuntimeError("dot : expected both vectors to have same dtype, but found " + x.dtype().scalarTypeName()
          + " and " + y.dtype().scalarTypeName());
    }
  }

  /** (n x k) @ (k x m), with vectors read as k x 1 (right) or 1 x k (dot's left). */
  static final class Product implements Differentiable {
    private final String name;

    Product(String name) {
      this.name = name;
    }

    @Override
    public Result apply(Tensor[] in, boolean[] needs) {
      Tensor x = in[0];
      Tensor y = in[1];
      int n = x.dim() == 2 ? x.size(0) : 1;
      int k = x.dim() == 2 ? x.size(1) : x.size(0);
      int m = y.dim() == 2 ? y.size(1) : 1;
      int[] outShape = x.dim() == 2 && y.dim() == 2 ? new int[] {n, m} : x.dim() == 2 ? new int[] {n} : new int[0];
      DType dt = x.dtype();
      if (dt == DType.BOOL && n * m > 0) {
        String kernel = switch (name) {
          case "MmBackward0" -> "addmm_impl_cpu_";
          case "MvBackward0" -> "addmv_impl_cpu";
          default -> "dot";
        };
        throw NotImplementedError.forDtype(kernel, "Bool");
      }
      TensorBuilder ob = new TensorBuilder(dt, outShape);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          if (dt.isFloatingPoint()) {
            double s = 0;
            for (int p = 0; p < k; p++) {
              s += x.getDouble(i * k + p) * y.getDouble(p * m + j);
            }
            ob.set(i * m + j, s);
          } else {
            long s = 0;
            for (int p = 0; p < k; p++) {
              s += x.getLong(i * k + p) * y.getLong(p * m + j);
            }
            ob.setLong(i * m + j, s);
          }
        }
      }
      return new Result(ob.build(), name, List.of(), g -> {
        TensorBuilder gx = needs[0] ? new TensorBuilder(dt, x.shape()) : null;
        TensorBuilder gy = needs[1] ? new TensorBuilder(y.dtype(), y.shape()) : null;
        if (gx != null) {
          for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
              double s = 0;
              for (int j = 0; j < m; j++) {
                s += g.getDouble(i * m + j) * y.getDouble(p * m + j);
              }
              gx.set(i * k + p, s);
            }
          }
        }
        if (gy != null) {
          for (int p = 0; p < k; p++) {
            for (int j = 0; j < m; j++) {
              double s = 0;
              for (int i = 0; i < n; i++) {
                s += x.getDouble(i * k + p) * g.getDouble(i * m + j);
              }
              gy.set(p * m + j, s);
            }
          }
        }
        return new Tensor[] {gx == null ? null : gx.build(), gy == null ? null : gy.build()};
      });
    }
  }
}
