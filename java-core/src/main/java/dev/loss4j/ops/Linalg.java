package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.NotImplementedError;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.List;

/**
 * Matrix products with autograd: {@code torch.mm} ({@code MmBackward0}: dA = G B^T, dB = A^T G),
 * {@code torch.mv} ({@code MvBackward0}), {@code torch.dot} ({@code DotBackward0}), {@code torch.bmm}
 * ({@code BmmBackward0}) and {@code torch.matmul} / {@code @}, which dispatch to these as PyTorch does (a batch
 * times a matrix folds into one mm, two batches of equal batch dims run as bmm, both ending in an
 * {@code UnsafeViewBackward0}). Both operands must share a dtype, as in PyTorch; products accumulate in double and
 * round once.
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
    int[] as = a.data().shape();
    int[] bs = b.data().shape();
    int n = as[da - 2];
    int k = as[da - 1];
    if (da >= 3 && db == 2) {
      // ATen folds the batch into the rows: one (B n, k) @ (k, m) product, then an unsafe view back
      int rows = a.data().numel() / Math.max(1, k);
      Variable flat = Views.reshape(a, new int[] {rows, k});
      int[] out = as.clone();
      out[da - 1] = bs[1];
      return Views.reshapeNamed(mm(flat, b), out, "UnsafeViewBackward0");
    }
    if (da >= 3 && db >= 3) {
      int[] batchA = java.util.Arrays.copyOf(as, da - 2);
      int[] batchB = java.util.Arrays.copyOf(bs, db - 2);
      int[] batch = Shapes.broadcast(batchA, batchB);
      if (java.util.Arrays.equals(batchA, batchB)) {
        int count = Shapes.numel(batch);
        Variable x = Views.reshape(a, new int[] {count, n, k});
        Variable y = Views.reshape(b, new int[] {count, bs[db - 2], bs[db - 1]});
        int[] out = java.util.Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = n;
        out[batch.length + 1] = bs[db - 1];
        return Views.reshapeNamed(bmm(x, y), out, "UnsafeViewBackward0");
      }
    }
    throw new NotImplementedError("matmul with these operand shapes (batch dims that broadcast, or a vector or matrix"
        + " on the left of a batch) is not supported by loss4j");
  }

  /**
   * {@code torch.bmm} ({@code BmmBackward0}): (B, n, k) @ (B, k, m) batch by batch; dA = G B^T and dB = A^T G per
   * batch. Both operands 3-d, of one dtype.
   */
  public static Variable bmm(Variable a, Variable b) {
    Tensor x = a.data();
    Tensor y = b.data();
    if (x.dim() != 3) {
      throw new RuntimeError("batch1 must be a 3D tensor");
    }
    if (y.dim() != 3) {
      throw new RuntimeError("batch2 must be a 3D tensor");
    }
    if (y.size(0) != x.size(0) || y.size(1) != x.size(2)) {
      throw new RuntimeError("Expected size for first two dimensions of batch2 tensor to be: [" + x.size(0) + ", "
          + x.size(2) + "] but got: [" + y.size(0) + ", " + y.size(1) + "].");
    }
    if (x.dtype() != y.dtype()) {
      throw new RuntimeError("expected scalar type " + x.dtype().scalarTypeName() + " but found "
          + y.dtype().scalarTypeName());
    }
    return Kernels.record(new BatchProduct(), a, b);
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

  /**
   * {@code torch.addmm(input, mat1, mat2, beta, alpha)} ({@code AddmmBackward0}): beta * input + alpha * mat1 @ mat2,
   * input broadcast to the product's shape.
   */
  public static Variable addmm(Variable input, Variable mat1, Variable mat2, double beta, double alpha) {
    Tensor x = mat1.data();
    Tensor y = mat2.data();
    if (x.dim() != 2) {
      throw new RuntimeError("mat1 must be a matrix, got " + x.dim() + "-D tensor");
    }
    if (y.dim() != 2) {
      throw new RuntimeError("mat2 must be a matrix, got " + y.dim() + "-D tensor");
    }
    if (x.size(1) != y.size(0)) {
      throw new RuntimeError("mat1 and mat2 shapes cannot be multiplied (" + x.size(0) + "x" + x.size(1) + " and "
          + y.size(0) + "x" + y.size(1) + ")");
    }
    if (x.dtype() != y.dtype() || input.data().dtype() != x.dtype()) {
      throw new RuntimeError("expected m1 and m2 to have the same dtype, but got: " + x.dtype().cTypeName() + " != "
          + (x.dtype() != y.dtype() ? y : input.data()).dtype().cTypeName());
    }
    int[] outShape = {x.size(0), y.size(1)};
    Variable bias = Views.expand(Variable.constant(input.data()), outShape);
    return affine(mat1, mat2, input, bias.data(), beta, alpha, false, outShape, "AddmmBackward0");
  }

  /**
   * {@code F.linear(x, weight, bias)}: x @ weight^T + bias over the last dim of x (any leading dims). Its grad_fn
   * is the last ATen op PyTorch runs: {@code AddmmBackward0} / {@code MmBackward0} for a matrix input (with /
   * without bias), {@code ViewBackward0} / {@code SqueezeBackward4} for a vector, {@code ViewBackward0} /
   * {@code UnsafeViewBackward0} for more dims.
   */
  public static Variable linear(Variable x, Variable weight, Variable bias) {
    Tensor t = x.data();
    Tensor w = weight.data();
    if (w.dim() != 2) {
      throw new NotImplementedError("F.linear with a weight of " + w.dim() + " dims is not supported by loss4j");
    }
    int in = t.dim() == 0 ? 1 : t.size(t.dim() - 1);
    int rows = in == 0 ? 0 : t.numel() / in;
    if (t.dim() == 0 || in != w.size(1)) {
      throw new RuntimeError("mat1 and mat2 shapes cannot be multiplied (" + (t.dim() <= 1 ? 1 : rows) + "x" + in
          + " and " + w.size(1) + "x" + w.size(0) + ")");
    }
    if (t.dtype() != w.dtype()) {
      throw new RuntimeError("mat1 and mat2 must have the same dtype, but got " + t.dtype().scalarTypeName() + " and "
          + w.dtype().scalarTypeName());
    }
    int[] outShape = t.shape().clone();
    outShape[outShape.length - 1] = w.size(0);
    String name = t.dim() == 2 ? (bias == null ? "MmBackward0" : "AddmmBackward0")
        : t.dim() == 1 ? (bias == null ? "SqueezeBackward4" : "ViewBackward0")
        : bias == null ? "UnsafeViewBackward0" : "ViewBackward0";
    Tensor b = null;
    if (bias != null) {
      if (bias.data().dtype() != t.dtype()) {
        throw new RuntimeError("expected m1 and m2 to have the same dtype, but got: " + t.dtype().cTypeName() + " != "
            + bias.data().dtype().cTypeName());
      }
      b = Views.expand(Variable.constant(bias.data()), new int[] {rows, w.size(0)}).data();
    }
    return affine(x, weight, bias, b, 1, 1, true, outShape, name);
  }

  /**
   * out = beta * bias + alpha * a @ (transposed ? w^T : w), a read as (rows, k) whatever its rank; bias is given
   * already broadcast to (rows, m), or null.
   */
  private static Variable affine(Variable a, Variable w, Variable bias, Tensor biasFull, double beta, double alpha,
                                 boolean transposed, int[] outShape, String name) {
    Variable[] inputs = bias == null ? new Variable[] {a, w} : new Variable[] {a, w, bias};
    return Kernels.record((in, needs) -> {
      Tensor x = in[0];
      Tensor y = in[1];
      int m = transposed ? y.size(0) : y.size(1);
      int k = transposed ? y.size(1) : y.size(0);
      int rows = k == 0 ? Shapes.numel(outShape) / Math.max(m, 1) : x.numel() / k;
      DType dt = x.dtype();
      double[] out = new double[rows * m];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < m; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += x.getDouble(i * k + p) * y.getDouble(transposed ? j * k + p : p * m + j);
          }
          double v = alpha * s;
          if (biasFull != null) {
            v += beta == 0 ? 0 : beta * biasFull.getDouble(i * m + j);
          }
          out[i * m + j] = v;
        }
      }
      return new Differentiable.Result(Kernels.fromDoubles(out, dt, outShape), name, List.of(), g -> {
        Tensor[] grads = new Tensor[in.length];
        if (needs[0]) {
          double[] gx = new double[rows * k];
          for (int i = 0; i < rows; i++) {
            for (int p = 0; p < k; p++) {
              double s = 0;
              for (int j = 0; j < m; j++) {
                s += g.getDouble(i * m + j) * y.getDouble(transposed ? j * k + p : p * m + j);
              }
              gx[i * k + p] = alpha * s;
            }
          }
          grads[0] = Kernels.fromDoubles(gx, x.dtype(), x.shape());
        }
        if (needs[1]) {
          double[] gw = new double[k * m];
          for (int p = 0; p < k; p++) {
            for (int j = 0; j < m; j++) {
              double s = 0;
              for (int i = 0; i < rows; i++) {
                s += x.getDouble(i * k + p) * g.getDouble(i * m + j);
              }
              gw[transposed ? j * k + p : p * m + j] = alpha * s;
            }
          }
          grads[1] = Kernels.fromDoubles(gw, y.dtype(), y.shape());
        }
        if (in.length > 2 && needs[2]) {
          Tensor g2 = g.reshape(rows, m);
          grads[2] = dev.loss4j.tensor.TensorMath.sumToShape(beta == 1 ? g2
              : dev.loss4j.tensor.TensorMath.scale(g2, beta), in[2].shape(), in[2].dtype());
        }
        return grads;
      });
    }, inputs);
  }

  private static void checkDtypes(Tensor x, Tensor y) {
    if (x.dtype() != y.dtype()) {
      throw new RuntimeError("dot : expected both vectors to have same dtype, but found " + x.dtype().scalarTypeName()
          + " and " + y.dtype().scalarTypeName());
    }
  }

  /** (B, n, k) @ (B, k, m): each batch's products in double, rounded once; gradients likewise. */
  static final class BatchProduct implements Differentiable {
    @Override
    public Result apply(Tensor[] in, boolean[] needs) {
      Tensor x = in[0];
      Tensor y = in[1];
      int batches = x.size(0);
      int n = x.size(1);
      int k = x.size(2);
      int m = y.size(2);
      DType dt = x.dtype();
      if ((dt == DType.BOOL || dt.isBarebonesUnsigned()) && batches * n * m > 0) {
        throw NotImplementedError.forDtype("bmm", dt.scalarTypeName());
      }
      TensorBuilder ob = new TensorBuilder(dt, batches, n, m);
      for (int q = 0; q < batches; q++) {
        int xo = q * n * k;
        int yo = q * k * m;
        int oo = q * n * m;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < m; j++) {
            if (dt.isFloatingPoint()) {
              double s = 0;
              for (int p = 0; p < k; p++) {
                s += x.getDouble(xo + i * k + p) * y.getDouble(yo + p * m + j);
              }
              ob.set(oo + i * m + j, s);
            } else {
              long s = 0;
              for (int p = 0; p < k; p++) {
                s += x.getLong(xo + i * k + p) * y.getLong(yo + p * m + j);
              }
              ob.setLong(oo + i * m + j, s);
            }
          }
        }
      }
      return new Result(ob.build(), "BmmBackward0", List.of(), g -> {
        TensorBuilder gx = needs[0] ? new TensorBuilder(dt, x.shape()) : null;
        TensorBuilder gy = needs[1] ? new TensorBuilder(dt, y.shape()) : null;
        for (int q = 0; q < batches; q++) {
          int xo = q * n * k;
          int yo = q * k * m;
          int go = q * n * m;
          for (int p = 0; p < k; p++) {
            for (int i = 0; gx != null && i < n; i++) {
              double s = 0;
              for (int j = 0; j < m; j++) {
                s += g.getDouble(go + i * m + j) * y.getDouble(yo + p * m + j);
              }
              gx.set(xo + i * k + p, s);
            }
            for (int j = 0; gy != null && j < m; j++) {
              double s = 0;
              for (int i = 0; i < n; i++) {
                s += x.getDouble(xo + i * k + p) * g.getDouble(go + i * m + j);
              }
              gy.set(yo + p * m + j, s);
            }
          }
        }
        return new Tensor[] {gx == null ? null : gx.build(), gy == null ? null : gy.build()};
      });
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
      if ((dt == DType.BOOL || dt.isBarebonesUnsigned()) && n * m > 0) {
        String kernel = switch (name) {
          case "MmBackward0" -> "addmm_impl_cpu_";
          case "MvBackward0" -> "addmv_impl_cpu";
          default -> "dot";
        };
        throw NotImplementedError.forDtype(kernel, dt.scalarTypeName());
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
