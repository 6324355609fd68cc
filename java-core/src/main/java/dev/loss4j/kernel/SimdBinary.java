package dev.loss4j.kernel;

import static dev.loss4j.kernel.SimdSpecies.D;
import static dev.loss4j.kernel.SimdSpecies.load;
import static dev.loss4j.kernel.SimdSpecies.store;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API twins of {@link BinaryKernels}' block loops: the same formulas lane for lane, so every
 * element and gradient is the same bits as the scalar loop's; only the block sums add in another order.
 * Remainders shorter than a vector run the scalar loop. Loaded only when {@link Vectorization#ENABLED}.
 */
final class SimdBinary {
  private SimdBinary() {}

  private static final DoubleVector ZERO = DoubleVector.zero(D);
  private static final int VL = D.length();

  // ---- the elementary functions, the vector twins of BinaryKernels' ---------------------------------------

  static DoubleVector exp(DoubleVector v) {
    return SimdMath.exp(v);
  }

  static DoubleVector log(DoubleVector v) {
    return SimdMath.log(v);
  }

  static DoubleVector log1p(DoubleVector v) {
    return SimdMath.log1p(v);
  }

  /** Each lane rounded to float32 and back. */
  private static DoubleVector f32(DoubleVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.D2F, SimdSpecies.F, 0)
        .convertShape(VectorOperators.F2D, D, 0);
  }

  /** sigmoid(x) from e = exp(-|x|) and r = 1 / (1 + e). */
  private static DoubleVector sigmoid(DoubleVector x, DoubleVector e, DoubleVector r) {
    return e.mul(r).blend(r, x.compare(VectorOperators.GE, 0.0));
  }

  /** max(v, 0) with Math.max's NaN. */
  private static DoubleVector positive(DoubleVector v) {
    return v.max(0.0);
  }

  // ---- BCE ----------------------------------------------------------------------------------------------

  private static DoubleVector bceValue(DoubleVector y, DoubleVector logX, DoubleVector log1mX) {
    return y.sub(1.0).mul(log1mX.max(-100.0)).sub(y.mul(logX.max(-100.0)));
  }

  private static DoubleVector bceGradInput(DoubleVector x, DoubleVector y) {
    return x.sub(y).div(DoubleVector.broadcast(D, 1.0).sub(x).mul(x).max(BinaryKernels.BCE_EPSILON));
  }

  static double bceBlock(float[] x, float[] y, float[] w, float[] each, float[] gx, float[] gy, double scale,
      int from, int to) {
    DoubleVector acc = ZERO;
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector xv = load(x, i);
      DoubleVector yv = load(y, i);
      DoubleVector lx = log(xv);
      DoubleVector l1 = log(xv.neg().add(1.0));
      DoubleVector l = bceValue(yv, lx, l1);
      DoubleVector wv = w == null ? null : load(w, i);
      if (wv != null) {
        l = l.mul(wv);
      }
      if (each != null) {
        store(l, each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        DoubleVector g = bceGradInput(xv, yv);
        store((wv == null ? g : g.mul(wv)).mul(scale), gx, i);
      }
      if (gy != null) {
        DoubleVector g = l1.sub(lx);
        store((wv == null ? g : g.mul(wv)).mul(scale), gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc) + BinaryKernels.bceBlock(x, y, w, each, gx, gy, scale, i, to);
  }

  static double bceBlock(double[] x, double[] y, double[] w, double[] each, double[] gx, double[] gy,
      double scale, int from, int to) {
    DoubleVector acc = ZERO;
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector xv = DoubleVector.fromArray(D, x, i);
      DoubleVector yv = DoubleVector.fromArray(D, y, i);
      DoubleVector lx = log(xv);
      DoubleVector l1 = log(xv.neg().add(1.0));
      DoubleVector l = bceValue(yv, lx, l1);
      DoubleVector wv = w == null ? null : DoubleVector.fromArray(D, w, i);
      if (wv != null) {
        l = l.mul(wv);
      }
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        DoubleVector g = bceGradInput(xv, yv);
        (wv == null ? g : g.mul(wv)).mul(scale).intoArray(gx, i);
      }
      if (gy != null) {
        DoubleVector g = l1.sub(lx);
        (wv == null ? g : g.mul(wv)).mul(scale).intoArray(gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc) + BinaryKernels.bceBlock(x, y, w, each, gx, gy, scale, i, to);
  }

  // ---- BCEWithLogits ----------------------------------------------------------------------------------------

  /**
   * Where the run of elements from {@code i} ends before a periodic operand (length L, read at
   * {@code i % L}) wraps: within a run its elements are contiguous.
   */
  private static int runEnd(int i, int to, int length) {
    return length <= 1 ? to : Math.min(to, i - i % length + length);
  }

  /** Lanes of a periodic operand: a broadcast single value, else contiguous elements from {@code j}. */
  private static DoubleVector periodic(float[] a, int j) {
    return a.length == 1 ? DoubleVector.broadcast(D, a[0]) : load(a, j);
  }

  private static DoubleVector periodic(double[] a, int j) {
    return a.length == 1 ? DoubleVector.broadcast(D, a[0]) : DoubleVector.fromArray(D, a, j);
  }

  /** The loss of one vector of logits, before the weight. */
  private static DoubleVector bceWithLogitsValue(DoubleVector x, DoubleVector y, DoubleVector p,
      DoubleVector spNeg) {
    DoubleVector a = y.neg().add(1.0).mul(x);
    return p == null ? a.add(spNeg) : a.add(p.sub(1.0).mul(y).add(1.0).mul(spNeg));
  }

  private static DoubleVector bceWithLogitsGradInput(DoubleVector y, DoubleVector p, DoubleVector sig) {
    if (p == null) {
      return sig.sub(y);
    }
    DoubleVector py = p.mul(y);
    return py.add(1.0).sub(y).mul(sig).sub(py);
  }

  private static DoubleVector bceWithLogitsGradTarget(DoubleVector x, DoubleVector p, DoubleVector spNeg,
      DoubleVector lp) {
    return p == null ? x.neg() : p.mul(spNeg).sub(positive(x).add(lp));
  }

  static double bceWithLogitsBlock(float[] x, float[] y, float[] w, float[] pw, float[] each, float[] gx,
      float[] gy, double scale, int from, int to) {
    DoubleVector acc = ZERO;
    double tails = 0;
    for (int i = from; i < to; ) {
      int end = runEnd(i, runEnd(i, to, w == null ? 1 : w.length), pw == null ? 1 : pw.length);
      int wo = w == null ? 0 : i % w.length - i;
      int po = pw == null ? 0 : i % pw.length - i;
      int k = i;
      for (int last = end - VL; k <= last; k += VL) {
        DoubleVector xv = load(x, k);
        DoubleVector yv = load(y, k);
        DoubleVector wv = w == null ? null : periodic(w, k + wo);
        DoubleVector p = pw == null ? null : periodic(pw, k + po);
        DoubleVector e = exp(xv.abs().neg());
        DoubleVector lp = log1p(e);
        DoubleVector spNeg = positive(xv.neg()).add(lp);
        DoubleVector l = bceWithLogitsValue(xv, yv, p, spNeg);
        if (wv != null) {
          l = l.mul(wv);
        }
        if (each != null) {
          store(l, each, k);
        } else {
          acc = acc.add(l);
        }
        if (gx != null) {
          DoubleVector r = DoubleVector.broadcast(D, 1.0).div(e.add(1.0));
          DoubleVector g = bceWithLogitsGradInput(yv, p, sigmoid(xv, e, r));
          store((wv == null ? g : g.mul(wv)).mul(scale), gx, k);
        }
        if (gy != null) {
          DoubleVector g = bceWithLogitsGradTarget(xv, p, spNeg, lp);
          store((wv == null ? g : g.mul(wv)).mul(scale), gy, k);
        }
      }
      tails += BinaryKernels.bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, k, end);
      i = end;
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  static double bceWithLogitsBlock(double[] x, double[] y, double[] w, double[] pw, double[] each, double[] gx,
      double[] gy, double scale, int from, int to) {
    DoubleVector acc = ZERO;
    double tails = 0;
    for (int i = from; i < to; ) {
      int end = runEnd(i, runEnd(i, to, w == null ? 1 : w.length), pw == null ? 1 : pw.length);
      int wo = w == null ? 0 : i % w.length - i;
      int po = pw == null ? 0 : i % pw.length - i;
      int k = i;
      for (int last = end - VL; k <= last; k += VL) {
        DoubleVector xv = DoubleVector.fromArray(D, x, k);
        DoubleVector yv = DoubleVector.fromArray(D, y, k);
        DoubleVector wv = w == null ? null : periodic(w, k + wo);
        DoubleVector p = pw == null ? null : periodic(pw, k + po);
        DoubleVector e = exp(xv.abs().neg());
        DoubleVector lp = log1p(e);
        DoubleVector spNeg = positive(xv.neg()).add(lp);
        DoubleVector l = bceWithLogitsValue(xv, yv, p, spNeg);
        if (wv != null) {
          l = l.mul(wv);
        }
        if (each != null) {
          l.intoArray(each, k);
        } else {
          acc = acc.add(l);
        }
        if (gx != null) {
          DoubleVector r = DoubleVector.broadcast(D, 1.0).div(e.add(1.0));
          DoubleVector g = bceWithLogitsGradInput(yv, p, sigmoid(xv, e, r));
          (wv == null ? g : g.mul(wv)).mul(scale).intoArray(gx, k);
        }
        if (gy != null) {
          DoubleVector g = bceWithLogitsGradTarget(xv, p, spNeg, lp);
          (wv == null ? g : g.mul(wv)).mul(scale).intoArray(gy, k);
        }
      }
      tails += BinaryKernels.bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, k, end);
      i = end;
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  // ---- SoftMargin -------------------------------------------------------------------------------------------

  static double softMarginBlock(float[] x, float[] y, float[] each, float[] gx, double scale, int from, int to) {
    DoubleVector acc = ZERO;
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector yv = load(y, i);
      DoubleVector e = f32(exp(f32(load(x, i).neg().mul(yv))));
      DoubleVector l = log1p(e);
      if (each != null) {
        store(l, each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        store(yv.mul(e).mul(-scale).div(e.add(1.0)), gx, i);
      }
    }
    return SimdSpecies.sumLanes(acc) + BinaryKernels.softMarginBlock(x, y, each, gx, scale, i, to);
  }

  static double softMarginBlock(double[] x, double[] y, double[] each, double[] gx, double scale, int from,
      int to) {
    DoubleVector acc = ZERO;
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector yv = DoubleVector.fromArray(D, y, i);
      DoubleVector e = exp(DoubleVector.fromArray(D, x, i).neg().mul(yv));
      DoubleVector l = log1p(e);
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        yv.mul(e).mul(-scale).div(e.add(1.0)).intoArray(gx, i);
      }
    }
    return SimdSpecies.sumLanes(acc) + BinaryKernels.softMarginBlock(x, y, each, gx, scale, i, to);
  }

  // ---- MultiLabelSoftMargin ---------------------------------------------------------------------------------

  /** d loss / d x of one vector of a row, at {@code scale}, plus +0. */
  private static DoubleVector multilabelGradInput(DoubleVector xv, DoubleVector yv, DoubleVector w,
      DoubleVector e, double scale) {
    DoubleVector r = DoubleVector.broadcast(D, 1.0).div(e.add(1.0));
    VectorMask<Double> nonNegative = xv.compare(VectorOperators.GE, 0.0);
    DoubleVector sig = e.mul(r).blend(r, nonNegative);
    DoubleVector sigNeg = r.blend(e.mul(r), nonNegative);
    return w.neg().mul(yv).mul(sigNeg).add(w.mul(yv.neg().add(1.0)).mul(sig)).mul(scale).add(0.0);
  }

  static double multilabelSoftMarginRow(float[] x, float[] y, float[] w, float[] gx, float[] gy, double scale,
      int from, int classes) {
    DoubleVector acc = ZERO;
    DoubleVector one = DoubleVector.broadcast(D, 1.0);
    int c = 0;
    for (int end = classes - VL; c <= end; c += VL) {
      int i = from + c;
      DoubleVector xv = load(x, i);
      DoubleVector yv = load(y, i);
      DoubleVector wv = w == null ? one : load(w, c);
      DoubleVector e = exp(xv.abs().neg());
      DoubleVector lp = log1p(e);
      DoubleVector spNeg = positive(xv.neg()).add(lp);
      DoubleVector spPos = positive(xv).add(lp);
      acc = acc.add(yv.mul(spNeg).add(yv.neg().add(1.0).mul(spPos)).mul(wv));
      if (gx != null) {
        store(multilabelGradInput(xv, yv, wv, e, scale), gx, i);
      }
      if (gy != null) {
        store(wv.mul(spNeg).sub(wv.mul(spPos)).mul(scale).add(0.0), gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc) + BinaryKernels.multilabelSoftMarginRow(x, y, w, gx, gy, scale, from, c,
        classes);
  }

  static double multilabelSoftMarginRow(double[] x, double[] y, double[] w, double[] gx, double[] gy,
      double scale, int from, int classes) {
    DoubleVector acc = ZERO;
    DoubleVector one = DoubleVector.broadcast(D, 1.0);
    int c = 0;
    for (int end = classes - VL; c <= end; c += VL) {
      int i = from + c;
      DoubleVector xv = DoubleVector.fromArray(D, x, i);
      DoubleVector yv = DoubleVector.fromArray(D, y, i);
      DoubleVector wv = w == null ? one : DoubleVector.fromArray(D, w, c);
      DoubleVector e = exp(xv.abs().neg());
      DoubleVector lp = log1p(e);
      DoubleVector spNeg = positive(xv.neg()).add(lp);
      DoubleVector spPos = positive(xv).add(lp);
      acc = acc.add(yv.mul(spNeg).add(yv.neg().add(1.0).mul(spPos)).mul(wv));
      if (gx != null) {
        multilabelGradInput(xv, yv, wv, e, scale).intoArray(gx, i);
      }
      if (gy != null) {
        wv.mul(spNeg).sub(wv.mul(spPos)).mul(scale).add(0.0).intoArray(gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc) + BinaryKernels.multilabelSoftMarginRow(x, y, w, gx, gy, scale, from, c,
        classes);
  }
}
