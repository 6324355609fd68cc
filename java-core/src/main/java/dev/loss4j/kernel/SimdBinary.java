package dev.loss4j.kernel;

import static dev.loss4j.kernel.BinaryKernels.CHUNK;
import static dev.loss4j.kernel.SimdSpecies.D;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API twins of {@link BinaryKernels}' double loops: the same formulas lane for lane, so every
 * element and gradient is the same bits as the scalar loop's; only the block sums add in another order.
 * Loaded only when {@link Vectorization#ENABLED}.
 *
 * <p>Each block runs in chunks: first the transcendental functions alone over the chunk into a small
 * scratch array, then the arithmetic. A JIT compiles a loop with SimdMath's exp or log and much else past its
 * inlining budget, and a vector that crosses a call that was not inlined is boxed on the heap, which costs
 * more than the arithmetic; a loop with one such function stays within it. Remainders shorter than a vector
 * run the scalar loop.
 *
 * <p>The float32 loops ({@code *32}) compute in float lanes, twice as many as double lanes: their exp and log1p
 * come from {@link SimdMath32}'s array forms in scratch, and each has a scalar twin in {@link BinaryKernels}
 * with the same float operations. Their losses are widened and added in double accumulators. An absent
 * weight is read from an array of ones ({@link #ONES}) rather than chosen between a loaded vector and a
 * constant one: C2 boxed the vector that such a choice merges, on every iteration (5.6 MB a call for
 * BCE-with-logits + pos_weight).
 */
final class SimdBinary {
  private SimdBinary() {}

  // An operand only. A loop whose accumulator starts from a vector constant gets it boxed by C2 on every
  // pass (measured 10x slower); accumulators start from DoubleVector.zero(D).
  private static final DoubleVector ZERO = DoubleVector.zero(D);
  private static final DoubleVector ONE = DoubleVector.broadcast(D, 1.0);
  private static final int VL = D.length();

  private static final DoubleVector L0 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[0]);
  private static final DoubleVector L1 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[1]);
  private static final DoubleVector L2 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[2]);
  private static final DoubleVector L3 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[3]);
  private static final DoubleVector L4 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[4]);
  private static final DoubleVector L5 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[5]);
  private static final DoubleVector L6 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[6]);
  private static final DoubleVector L7 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[7]);
  private static final DoubleVector L8 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[8]);
  private static final DoubleVector L9 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[9]);
  private static final DoubleVector L10 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[10]);
  private static final DoubleVector L11 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[11]);
  private static final DoubleVector L12 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[12]);
  private static final DoubleVector L13 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[13]);
  private static final DoubleVector L14 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[14]);
  private static final DoubleVector L15 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[15]);
  private static final DoubleVector L16 = DoubleVector.broadcast(D, BinaryKernels.LOG1P_SERIES[16]);

  /** The lanes of {@link BinaryKernels#log1pUnit}, the same operations (the series written out, no loop). */
  static DoubleVector log1pUnit(DoubleVector v) {
    DoubleVector s = v.div(v.add(2.0));
    DoubleVector z = s.mul(s);
    DoubleVector p = L0;
    p = p.fma(z, L1);
    p = p.fma(z, L2);
    p = p.fma(z, L3);
    p = p.fma(z, L4);
    p = p.fma(z, L5);
    p = p.fma(z, L6);
    p = p.fma(z, L7);
    p = p.fma(z, L8);
    p = p.fma(z, L9);
    p = p.fma(z, L10);
    p = p.fma(z, L11);
    p = p.fma(z, L12);
    p = p.fma(z, L13);
    p = p.fma(z, L14);
    p = p.fma(z, L15);
    p = p.fma(z, L16);
    return s.fma(z.mul(p), s.mul(2.0));
  }

  /** softplus(-|x|) = log1p(exp(-|x|)) of {@code n} elements of {@code x} from {@code at}, with e = exp(-|x|). */
  private static void softplusParts(double[] x, int at, int n, double[] e, double[] lp) {
    for (int k = 0; k < n; k++) {
      e[k] = -Math.abs(x[at + k]);
    }
    SimdMath.expSum(e, 0, e, n, 0.0, true);
    for (int k = 0; k < n; k += VL) {
      log1pUnit(DoubleVector.fromArray(D, e, k)).intoArray(lp, k);
    }
  }

  // ---- BCE ----------------------------------------------------------------------------------------------

  static double bceBlock(double[] x, double[] y, double[] w, double[] each, double[] gx, double[] gy,
      double scale, int from, int to) {
    double[] logs = new double[2 * CHUNK];
    DoubleVector acc = DoubleVector.zero(D);
    double tails = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      int vec = len - len % VL;
      // log x in [0, vec), log1p(-x) in [vec, 2 vec) (PyTorch's log(1 - x), exact for a small x).
      for (int k = 0; k < vec; k++) {
        logs[k] = x[i + k];
        logs[vec + k] = -x[i + k];
      }
      SimdMath.logInPlace(logs, 0, vec, true);
      SimdMath.log1pInPlace(logs, vec, 2 * vec, true);
      for (int k = 0; k < vec; k += VL) {
        int j = i + k;
        DoubleVector xv = DoubleVector.fromArray(D, x, j);
        DoubleVector yv = DoubleVector.fromArray(D, y, j);
        DoubleVector lx = DoubleVector.fromArray(D, logs, k);
        DoubleVector l1 = DoubleVector.fromArray(D, logs, vec + k);
        DoubleVector wv = w == null ? ONE : DoubleVector.fromArray(D, w, j);
        DoubleVector l = yv.sub(1.0).mul(l1.max(-100.0)).sub(yv.mul(lx.max(-100.0))).mul(wv);
        if (each != null) {
          l.intoArray(each, j);
        } else {
          acc = acc.add(l);
        }
        if (gx != null) {
          xv.sub(yv).div(ONE.sub(xv).mul(xv).max(BinaryKernels.BCE_EPSILON)).mul(wv).mul(scale).intoArray(gx, j);
        }
        if (gy != null) {
          l1.sub(lx).mul(wv).mul(scale).intoArray(gy, j);
        }
      }
      if (vec < len) {
        tails += BinaryKernels.bceBlock(x, y, w, each, gx, gy, scale, i + vec, i + len);
      }
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  // ---- BCEWithLogits ----------------------------------------------------------------------------------------

  /**
   * Runs of elements from {@code i} end where a periodic operand (length L, read at {@code i % L}) wraps;
   * within a run its elements are contiguous.
   */
  private static int runEnd(int i, int to, double[] periodic) {
    int length = periodic == null ? 1 : periodic.length;
    return length <= 1 ? to : Math.min(to, i - i % length + length);
  }

  /** Lanes of a periodic operand from element {@code j} of a run: a single value broadcast, else contiguous. */
  private static DoubleVector periodic(double[] a, int j) {
    return a == null ? null : a.length == 1 ? DoubleVector.broadcast(D, a[0]) : DoubleVector.fromArray(D, a, j);
  }

  static double bceWithLogitsBlock(double[] x, double[] y, double[] w, double[] pw, double[] each, double[] gx,
      double[] gy, double scale, int from, int to) {
    double[] e = new double[CHUNK];
    double[] lps = new double[CHUNK];
    DoubleVector acc = DoubleVector.zero(D);
    double tails = 0;
    for (int i = from; i < to; ) {
      int end = Math.min(i + CHUNK, runEnd(i, runEnd(i, to, w), pw));
      int vec = (end - i) - (end - i) % VL;
      softplusParts(x, i, vec, e, lps);
      int wo = w == null ? 0 : i % w.length - i;
      int po = pw == null ? 0 : i % pw.length - i;
      for (int k = 0; k < vec; k += VL) {
        int j = i + k;
        DoubleVector xv = DoubleVector.fromArray(D, x, j);
        DoubleVector yv = DoubleVector.fromArray(D, y, j);
        DoubleVector ev = DoubleVector.fromArray(D, e, k);
        DoubleVector lp = DoubleVector.fromArray(D, lps, k);
        DoubleVector wv = w == null ? ONE : periodic(w, j + wo);
        DoubleVector spNeg = xv.neg().max(0.0).add(lp);
        DoubleVector a = ONE.sub(yv).mul(xv);
        DoubleVector p = pw == null ? ONE : periodic(pw, j + po);
        DoubleVector l = pw == null ? a.add(spNeg) : a.add(p.sub(1.0).mul(yv).add(1.0).mul(spNeg));
        l = l.mul(wv);
        if (each != null) {
          l.intoArray(each, j);
        } else {
          acc = acc.add(l);
        }
        if (gx != null) {
          DoubleVector r = ONE.div(ev.add(1.0));
          DoubleVector sig = ev.mul(r).blend(r, xv.compare(VectorOperators.GE, 0.0));
          DoubleVector py = p.mul(yv);
          DoubleVector g = pw == null ? sig.sub(yv) : py.add(1.0).sub(yv).mul(sig).sub(py);
          g.mul(wv).mul(scale).intoArray(gx, j);
        }
        if (gy != null) {
          DoubleVector g = pw == null ? xv.neg() : p.mul(spNeg).sub(xv.max(0.0).add(lp));
          g.mul(wv).mul(scale).intoArray(gy, j);
        }
      }
      if (vec < end - i) {
        tails += BinaryKernels.bceWithLogitsBlock(x, y, w, pw, each, gx, gy, scale, i + vec, end);
      }
      i = end;
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  // ---- SoftMargin -------------------------------------------------------------------------------------------

  static double softMarginBlock(double[] x, double[] y, double[] each, double[] gx, double scale, int from,
      int to) {
    double[] t = new double[CHUNK];
    double[] small = new double[CHUNK];
    double[] lps = new double[CHUNK];
    DoubleVector inf = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
    DoubleVector acc = DoubleVector.zero(D);
    double tails = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      int vec = len - len % VL;
      for (int k = 0; k < vec; k++) {
        t[k] = -x[i + k] * y[i + k];
      }
      softplusParts(t, 0, vec, small, lps);
      for (int k = 0; k < vec; k += VL) {
        int j = i + k;
        DoubleVector yv = DoubleVector.fromArray(D, y, j);
        DoubleVector tv = DoubleVector.fromArray(D, t, k);
        DoubleVector sv = DoubleVector.fromArray(D, small, k);
        DoubleVector ev = ONE.div(sv).blend(sv, tv.compare(VectorOperators.LE, 0.0));
        DoubleVector l = tv.max(0.0).add(DoubleVector.fromArray(D, lps, k))
            .blend(inf, ev.compare(VectorOperators.EQ, inf));
        if (each != null) {
          l.intoArray(each, j);
        } else {
          acc = acc.add(l);
        }
        if (gx != null) {
          yv.mul(ev).mul(-scale).div(ev.add(1.0)).intoArray(gx, j);
        }
      }
      if (vec < len) {
        tails += BinaryKernels.softMarginBlock(x, y, each, gx, scale, i + vec, i + len);
      }
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  // ---- MultiLabelSoftMargin ---------------------------------------------------------------------------------

  static void multilabelSoftMarginTerms(double[] x, double[] y, double[] w, double[] losses, double[] gx,
      double[] gy, double scale, int from, int to) {
    double[] e = new double[CHUNK];
    double[] lps = new double[CHUNK];
    double[] ws = w == null ? null : new double[CHUNK];
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      int vec = len - len % VL;
      softplusParts(x, i, vec, e, lps);
      if (w != null) {
        for (int k = 0, c = i % w.length; k < vec; k++) {
          ws[k] = w[c];
          c = ++c == w.length ? 0 : c;
        }
      }
      for (int k = 0; k < vec; k += VL) {
        int j = i + k;
        DoubleVector xv = DoubleVector.fromArray(D, x, j);
        DoubleVector yv = DoubleVector.fromArray(D, y, j);
        DoubleVector ev = DoubleVector.fromArray(D, e, k);
        DoubleVector lp = DoubleVector.fromArray(D, lps, k);
        DoubleVector wv = w == null ? ONE : DoubleVector.fromArray(D, ws, k);
        DoubleVector spNeg = xv.neg().max(0.0).add(lp);
        DoubleVector spPos = xv.max(0.0).add(lp);
        DoubleVector oneMinusY = ONE.sub(yv);
        yv.mul(spNeg).add(oneMinusY.mul(spPos)).mul(wv).intoArray(losses, j - from);
        if (gx != null) {
          DoubleVector r = ONE.div(ev.add(1.0));
          VectorMask<Double> nonNegative = xv.compare(VectorOperators.GE, 0.0);
          DoubleVector sig = ev.mul(r).blend(r, nonNegative);
          DoubleVector sigNeg = r.blend(ev.mul(r), nonNegative);
          wv.neg().mul(yv).mul(sigNeg).add(wv.mul(oneMinusY).mul(sig)).mul(scale).add(0.0).intoArray(gx, j);
        }
        if (gy != null) {
          wv.mul(spNeg).sub(wv.mul(spPos)).mul(scale).add(0.0).intoArray(gy, j);
        }
      }
      if (vec < len) {
        // The scalar loop writes losses from its own start: shift the view so element i + vec lands at its place.
        double[] tail = new double[len - vec];
        BinaryKernels.multilabelSoftMarginTerms(x, y, w, tail, gx, gy, scale, i + vec, i + len);
        System.arraycopy(tail, 0, losses, i + vec - from, len - vec);
      }
    }
  }

  // ---- float32 lanes --------------------------------------------------------------------------------------

  private static final jdk.incubator.vector.VectorSpecies<Float> FS = SimdMath32.Lanes.F;
  private static final int FL = FS.length();
  private static final FloatVector ONE32 = FloatVector.broadcast(FS, 1f);
  /** A chunk of ones: the weight lanes where there is no weight (times 1 is exact, as the scalar twins' 1f). */
  private static final float[] ONES = ones();

  private static float[] ones() {
    float[] a = new float[SimdMath32.CHUNK];
    java.util.Arrays.fill(a, 1f);
    return a;
  }

  /** The low and the high half of {@code v}'s lanes, widened to double (for double accumulators). */
  static DoubleVector widenLow(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
  }

  /** The high half, as {@link #widenLow}. */
  static DoubleVector widenHigh(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
  }

  /** The lanes of {@link BinaryKernels#bceWithLogits32} over {@code [i, i + vec)}, vec a multiple of the lanes. */
  static double bceWithLogits32(float[] x, float[] y, float[] w, float[] pw, float[] lp, float[] rs,
      float[] each, float[] gx, float[] gy, float sc, int i, int vec) {
    DoubleVector acc0 = DoubleVector.zero(D);
    DoubleVector acc1 = DoubleVector.zero(D);
    for (int k = 0; k < vec; k += FL) {
      int j = i + k;
      FloatVector xv = FloatVector.fromArray(FS, x, j);
      FloatVector yv = FloatVector.fromArray(FS, y, j);
      FloatVector wv = FloatVector.fromArray(FS, w == null ? ONES : w, k);
      FloatVector lpv = FloatVector.fromArray(FS, lp, k);
      FloatVector spNeg = xv.neg().max(0f).add(lpv);
      FloatVector a = yv.neg().add(1f).mul(xv);
      FloatVector p = FloatVector.fromArray(FS, pw == null ? ONES : pw, k);
      FloatVector l = (pw == null ? a.add(spNeg) : a.add(p.sub(1f).mul(yv).add(1f).mul(spNeg))).mul(wv);
      if (each != null) {
        l.intoArray(each, j);
      } else {
        acc0 = acc0.add(widenLow(l));
        acc1 = acc1.add(widenHigh(l));
      }
      if (gx != null) {
        FloatVector sig = FloatVector.fromArray(FS, rs, k);
        FloatVector py = p.mul(yv);
        FloatVector g = pw == null ? sig.sub(yv) : py.add(1f).sub(yv).mul(sig).sub(py);
        g.mul(wv).mul(sc).intoArray(gx, j);
      }
      if (gy != null) {
        FloatVector g = pw == null ? xv.neg() : p.mul(spNeg).sub(xv.max(0f).add(lpv));
        g.mul(wv).mul(sc).intoArray(gy, j);
      }
    }
    return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
  }

  /** The lanes of {@link BinaryKernels#softMargin32} over {@code [i, i + vec)}. */
  static double softMargin32(float[] y, float[] t, float[] small, float[] lp, float[] each, float[] gx, float sc,
      int i, int vec) {
    DoubleVector acc0 = DoubleVector.zero(D);
    DoubleVector acc1 = DoubleVector.zero(D);
    for (int k = 0; k < vec; k += FL) {
      FloatVector tv = FloatVector.fromArray(FS, t, k);
      FloatVector sv = FloatVector.fromArray(FS, small, k);
      FloatVector ev = ONE32.div(sv).blend(sv, tv.compare(VectorOperators.LE, 0f));
      FloatVector inf = FloatVector.broadcast(FS, Float.POSITIVE_INFINITY);
      FloatVector l = tv.max(0f).add(FloatVector.fromArray(FS, lp, k))
          .blend(inf, ev.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
      if (each != null) {
        l.intoArray(each, i + k);
      } else {
        acc0 = acc0.add(widenLow(l));
        acc1 = acc1.add(widenHigh(l));
      }
      if (gx != null) {
        FloatVector.fromArray(FS, y, i + k).mul(ev).mul(-sc).div(ev.add(1f)).intoArray(gx, i + k);
      }
    }
    return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
  }

  /** The lanes of {@link BinaryKernels#multilabelSoftMargin32} over {@code [i, i + vec)}. */
  static void multilabelSoftMargin32(float[] x, float[] y, float[] w, float[] e, float[] lp, float[] rs,
      float[] losses, float[] gx, float[] gy, float sc, int i, int vec) {
    for (int k = 0; k < vec; k += FL) {
      int j = i + k;
      FloatVector xv = FloatVector.fromArray(FS, x, j);
      FloatVector yv = FloatVector.fromArray(FS, y, j);
      FloatVector wv = FloatVector.fromArray(FS, w == null ? ONES : w, k);
      FloatVector lpv = FloatVector.fromArray(FS, lp, k);
      FloatVector spNeg = xv.neg().max(0f).add(lpv);
      FloatVector spPos = xv.max(0f).add(lpv);
      FloatVector oneMinusY = yv.neg().add(1f);
      yv.mul(spNeg).add(oneMinusY.mul(spPos)).mul(wv).intoArray(losses, k);
      if (gx != null) {
        FloatVector ev = FloatVector.fromArray(FS, e, k);
        FloatVector r = FloatVector.fromArray(FS, rs, k);
        VectorMask<Float> nonNegative = xv.compare(VectorOperators.GE, 0f);
        FloatVector sig = ev.mul(r).blend(r, nonNegative);
        FloatVector sigNeg = r.blend(ev.mul(r), nonNegative);
        wv.neg().mul(yv).mul(sigNeg).add(wv.mul(oneMinusY).mul(sig)).mul(sc).add(0f).intoArray(gx, j);
      }
      if (gy != null) {
        wv.mul(spNeg).sub(wv.mul(spPos)).mul(sc).add(0f).intoArray(gy, j);
      }
    }
  }

  /** The lanes of {@link BinaryKernels#bce32} over {@code [i, i + vec)}. */
  static double bce32(float[] x, float[] y, float[] w, float[] lx, float[] l1, float[] each, float[] gx,
      float sc, int i, int vec) {
    DoubleVector acc0 = DoubleVector.zero(D);
    DoubleVector acc1 = DoubleVector.zero(D);
    for (int k = 0; k < vec; k += FL) {
      int j = i + k;
      FloatVector xv = FloatVector.fromArray(FS, x, j);
      FloatVector yv = FloatVector.fromArray(FS, y, j);
      FloatVector wv = FloatVector.fromArray(FS, w == null ? ONES : w, w == null ? k : j);
      FloatVector lxv = FloatVector.fromArray(FS, lx, k);
      FloatVector l1v = FloatVector.fromArray(FS, l1, k);
      FloatVector l = yv.sub(1f).mul(l1v.max(-100f)).sub(yv.mul(lxv.max(-100f))).mul(wv);
      if (each != null) {
        l.intoArray(each, j);
      } else {
        acc0 = acc0.add(widenLow(l));
        acc1 = acc1.add(widenHigh(l));
      }
      if (gx != null) {
        xv.sub(yv).div(ONE32.sub(xv).mul(xv).max(BinaryKernels.BCE_EPSILON_F)).mul(wv).mul(sc).intoArray(gx, j);
      }
    }
    return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
  }
}
