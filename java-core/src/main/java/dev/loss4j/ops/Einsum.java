package dev.loss4j.ops;

import dev.loss4j.autograd.Differentiable;
import dev.loss4j.autograd.Variable;
import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.DType;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.einsum(equation, *operands)} with autograd: out[o] = sum over the letters missing from the output
 * of the product of every operand at its letters. Letters are a-z and A-Z; {@code ...} stands for the leading
 * dims an operand has beyond its letters (broadcast across operands); without {@code ->} the output is the
 * ellipsis dims then the letters used once, in alphabetical order. A letter repeated in one operand reads its
 * diagonal. Size-1 dims broadcast. The gradient of each operand is the output gradient times the other
 * operands, summed back the same way.
 *
 * <p>PyTorch computes einsum as permutes, multiplies, sums and batched products; the grad_fn of the result is
 * the last of these: {@code SumBackward1} / {@code PermuteBackward0} for one operand (with / without a sum),
 * {@code ViewBackward0} for a contraction of two or more operands and {@code MulBackward0} for a product
 * without a sum. Sums accumulate in double and round once.
 */
public final class Einsum {
  private Einsum() {}

  public static Variable einsum(String equation, Variable... operands) {
    Spec spec = parse(equation, operands);
    DType dt = operands[0].data().dtype();
    for (Variable v : operands) {
      if (v.data().dtype() != dt) {
        throw new RuntimeError("expected scalar type " + dt.scalarTypeName() + " but found "
            + v.data().dtype().scalarTypeName());
      }
    }
    return Kernels.record((in, needs) -> spec.apply(in, needs), operands);
  }

  /** The parsed equation: letter ids per operand dim, the output's letter ids, and each letter's size. */
  private record Spec(int[][] letters, int[] output, int[] sizes, String name) {
    Differentiable.Result apply(Tensor[] in, boolean[] needs) {
      int nl = sizes.length;
      int[] outShape = new int[output.length];
      for (int k = 0; k < output.length; k++) {
        outShape[k] = sizes[output[k]];
      }
      // strides of each operand (0 where a size-1 dim broadcasts) and of the output, per letter
      int[][] opStride = new int[in.length][nl];
      for (int p = 0; p < in.length; p++) {
        int[] s = in[p].shape();
        int[] st = Shapes.strides(s);
        for (int k = 0; k < s.length; k++) {
          if (s[k] != 1 || sizes[letters[p][k]] == 1) {
            opStride[p][letters[p][k]] += st[k];
          }
        }
      }
      int[] outStride = new int[nl];
      int[] ost = Shapes.strides(outShape);
      for (int k = 0; k < output.length; k++) {
        outStride[output[k]] = ost[k];
      }
      int total = Shapes.numel(sizes);
      DType dt = in[0].dtype();
      int outN = Shapes.numel(outShape);
      int[][] pos = positions(total, opStride, outStride, in.length);
      if (!dt.isFloatingPoint()) {
        long[] acc = new long[outN];
        for (int i = 0; i < total; i++) {
          long prod = 1;
          for (int p = 0; p < in.length; p++) {
            prod *= in[p].getLong(pos[p][i]);
          }
          acc[pos[in.length][i]] += prod;
        }
        return new Differentiable.Result(Tensor.ofLongs(acc, outShape).to(dt), name, List.of(), null);
      }
      double[] acc = new double[outN];
      for (int i = 0; i < total; i++) {
        double prod = 1;
        for (int p = 0; p < in.length; p++) {
          prod *= in[p].getDouble(pos[p][i]);
        }
        acc[pos[in.length][i]] += prod;
      }
      return new Differentiable.Result(Kernels.fromDoubles(acc, dt, outShape), name, List.of(), g -> {
        Tensor[] grads = new Tensor[in.length];
        for (int q = 0; q < in.length; q++) {
          if (!needs[q]) {
            continue;
          }
          double[] gq = new double[in[q].numel()];
          for (int i = 0; i < total; i++) {
            double prod = g.getDouble(pos[in.length][i]);
            for (int p = 0; p < in.length; p++) {
              if (p != q) {
                prod *= in[p].getDouble(pos[p][i]);
              }
            }
            gq[pos[q][i]] += prod;
          }
          grads[q] = Kernels.fromDoubles(gq, in[q].dtype(), in[q].shape());
        }
        return grads;
      });
    }

    /** For every point of the full letter space, the flat position read in each operand and written in the output. */
    private int[][] positions(int total, int[][] opStride, int[] outStride, int count) {
      int nl = sizes.length;
      int[][] pos = new int[count + 1][total];
      int[] counter = new int[nl];
      for (int i = 0; i < total; i++) {
        for (int p = 0; p < count; p++) {
          int f = 0;
          for (int l = 0; l < nl; l++) {
            f += counter[l] * opStride[p][l];
          }
          pos[p][i] = f;
        }
        int f = 0;
        for (int l = 0; l < nl; l++) {
          f += counter[l] * outStride[l];
        }
        pos[count][i] = f;
        for (int l = nl - 1; l >= 0; l--) {
          if (++counter[l] < sizes[l]) {
            break;
          }
          counter[l] = 0;
        }
      }
      return pos;
    }
  }

  private static Spec parse(String equation, Variable[] operands) {
    String eq = equation.replace(" ", "");
    int arrow = eq.indexOf("->");
    String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
    String[] terms = lhs.split(",", -1);
    if (terms.length != operands.length) {
      throw new RuntimeError(terms.length < operands.length
          ? "einsum(): more operands were provided than specified in the equation"
          : "einsum(): fewer operands were provided than specified in the equation");
    }
    int ellipsisDims = 0;
    for (int p = 0; p < terms.length; p++) {
      int explicit = terms[p].replace("...", "").length();
      int nd = operands[p].data().dim();
      if (terms[p].contains("...")) {
        if (nd < explicit) {
          throw new RuntimeError("einsum(): the number of subscripts in the equation (" + explicit
              + ") is more than the number of dimensions (" + nd + ") for operand " + p);
        }
        ellipsisDims = Math.max(ellipsisDims, nd - explicit);
      } else if (nd != explicit) {
        throw new RuntimeError("einsum(): the number of subscripts in the equation (" + explicit
            + ") does not match the number of dimensions (" + nd + ") for operand " + p + " and no ellipsis was given");
      }
    }
    // letter ids: ellipsis dims first (ids 0..e-1), then letters as met
    Map<Character, Integer> ids = new LinkedHashMap<>();
    List<Integer> sizes = new ArrayList<>();
    for (int e = 0; e < ellipsisDims; e++) {
      sizes.add(1);
    }
    int[][] letters = new int[terms.length][];
    int[] counts = new int[128];
    for (int p = 0; p < terms.length; p++) {
      int[] shape = operands[p].data().shape();
      int[] ls = new int[shape.length];
      String term = terms[p];
      int dim = 0;
      for (int c = 0; c < term.length(); c++) {
        char ch = term.charAt(c);
        if (term.startsWith("...", c)) {
          int own = shape.length - (term.length() - 3);
          for (int e = 0; e < own; e++) {
            int id = ellipsisDims - own + e;
            ls[dim] = id;
            sizes.set(id, merge(sizes.get(id), shape[dim], p, '.'));
            dim++;
          }
          c += 2;
          continue;
        }
        if (!Character.isLetter(ch) || ch > 127) {
          throw new RuntimeError("einsum(): invalid subscript given at index " + c + " in the equation string, subscripts"
              + " must be in [a-zA-Z]");
        }
        Integer id = ids.get(ch);
        if (id == null) {
          id = sizes.size();
          ids.put(ch, id);
          sizes.add(shape[dim]);
        } else {
          sizes.set(id, merge(sizes.get(id), shape[dim], p, ch));
        }
        counts[ch]++;
        ls[dim++] = id;
      }
      letters[p] = ls;
    }
    int[] output;
    if (arrow >= 0) {
      String rhs = eq.substring(arrow + 2);
      List<Integer> out = new ArrayList<>();
      for (int c = 0; c < rhs.length(); c++) {
        if (rhs.startsWith("...", c)) {
          for (int e = 0; e < ellipsisDims; e++) {
            out.add(e);
          }
          c += 2;
          continue;
        }
        Integer id = ids.get(rhs.charAt(c));
        if (id == null) {
          throw new RuntimeError("einsum(): output subscript " + rhs.charAt(c)
              + " does not appear in the equation for any input operand");
        }
        if (out.contains(id)) {
          throw new RuntimeError("einsum(): output subscript " + rhs.charAt(c) + " appears more than once in the output");
        }
        out.add(id);
      }
      output = out.stream().mapToInt(Integer::intValue).toArray();
    } else {
      List<Integer> out = new ArrayList<>();
      for (int e = 0; e < ellipsisDims; e++) {
        out.add(e);
      }
      ids.keySet().stream().filter(ch -> counts[ch] == 1).sorted() // upper case first, as ASCII orders them
          .forEach(ch -> out.add(ids.get(ch)));
      output = out.stream().mapToInt(Integer::intValue).toArray();
    }
    boolean summed = sizes.size() > output.length;
    String name = operands.length == 1 ? (summed ? "SumBackward1" : "PermuteBackward0")
        : summed ? "ViewBackward0" : "MulBackward0";
    return new Spec(letters, output, sizes.stream().mapToInt(Integer::intValue).toArray(), name);
  }

  private static int merge(int known, int size, int operand, char letter) {
    if (known == size || size == 1) {
      return known;
    }
    if (known == 1) {
      return size;
    }
    throw new RuntimeError("einsum(): subscript " + letter + " has size " + size + " for operand " + operand
        + " which does not broadcast with previously seen size " + known);
  }
}
