package dev.loss4j.kernel;

import static dev.loss4j.kernel.BinaryKernels.CHUNK;
import static dev.loss4j.kernel.SimdSpecies.D;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API twins of {@link ProbabilisticKernels}' double loops: the same formulas lane for lane, so
 * every element and gradient is the same bits as the scalar loop's; only the block sums add in another order.
 * As in {@link SimdBinary}, each chunk first runs its exp or log alone into scratch, then the arithmetic;
 * remainders shorter than a vector run the scalar loop. Loaded only when {@link Vectorization#ENABLED}.
 *
 * <p>The float32 loops ({@code *32}) compute in float lanes, their exp and log from {@link SimdMath32}'s array
 * forms in scratch, each the lanes of a scalar twin in {@link ProbabilisticKernels} (the same float operations);
 * their losses are widened and added in double accumulators.
 */
final class SimdProbabilistic {
  private SimdProbabilistic() {}

  // An operand only. A loop whose accumulator starts from a vector constant gets it boxed by C2 on every
  // pass (measured 10x slower); accumulators start from DoubleVector.zero(D).
  private static final DoubleVector ZERO = DoubleVector.zero(D);
  private static final DoubleVector ONE = DoubleVector.broadcast(D, 1.0);
  private static final int VL = D.length();

  // ---- KLDiv --------------------------------------------------------------------------------------------

  /** Each variant in its own method: one exp or log per compiled loop (see {@link SimdBinary}). */
  static double klDivBlock(double[] x, double[] y, boolean logTarget, double[] each, double[] gx, double[] gy,
      double scale, int from, int to) {
    return logTarget ? klDivLogTargetBlock(x, y, each, gx, gy, scale, from, to)
        : klDivProbabilityBlock(x, y, each, gx, gy, scale, from, to);
  }

  private static double klDivProbabilityBlock(double[] x, double[] y, double[] each, double[] gx, double[] gy,
      double scale, int from, int to) {
    double[] t = new double[CHUNK];
    DoubleVector acc = DoubleVector.zero(D);
    double tails = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      int vec = len - len % VL;
      System.arraycopy(y, i, t, 0, vec);
      SimdMath.logInPlace(t, 0, vec, true);
      for (int k = 0; k < vec; k += VL) {
        int j = i + k;
        DoubleVector xv = DoubleVector.fromArray(D, x, j);
        DoubleVector yv = DoubleVector.fromArray(D, y, j);
        DoubleVector ly = DoubleVector.fromArray(D, t, k).blend(0.0, yv.compare(VectorOperators.EQ, 0.0));
        DoubleVector l = yv.mul(ly).sub(yv.mul(xv));
        if (each != null) {
          l.intoArray(each, j);
        } else {
          acc = acc.add(l);
        }
        if (gx != null) {
          yv.neg().mul(scale).intoArray(gx, j);
        }
        if (gy != null) {
          ly.add(yv.div(yv)).sub(xv).mul(scale).intoArray(gy, j);
        }
      }
      if (vec < len) {
        tails += ProbabilisticKernels.klDivBlock(x, y, false, each, gx, gy, scale, i + vec, i + len);
      }
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  private static double klDivLogTargetBlock(double[] x, double[] y, double[] each, double[] gx, double[] gy,
      double scale, int from, int to) {
    double[] t = new double[CHUNK];
    DoubleVector acc = DoubleVector.zero(D);
    double tails = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      int vec = len - len % VL;
      SimdMath.expSum(y, i, t, vec, 0.0, true);
      for (int k = 0; k < vec; k += VL) {
        int j = i + k;
        DoubleVector xv = DoubleVector.fromArray(D, x, j);
        DoubleVector yv = DoubleVector.fromArray(D, y, j);
        DoubleVector e = DoubleVector.fromArray(D, t, k);
        DoubleVector l = e.mul(yv.sub(xv));
        if (each != null) {
          l.intoArray(each, j);
        } else {
          acc = acc.add(l);
        }
        if (gx != null) {
          e.neg().mul(scale).intoArray(gx, j);
        }
        if (gy != null) {
          l.add(e).mul(scale).intoArray(gy, j);
        }
      }
      if (vec < len) {
        tails += ProbabilisticKernels.klDivBlock(x, y, true, each, gx, gy, scale, i + vec, i + len);
      }
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  // ---- GaussianNLL --------------------------------------------------------------------------------------

  static double gaussianNllBlock(double[] x, double[] y, double[] v, double eps, boolean full, double[] each,
      double[] gx, double[] gy, double[] gv, double scale, int from, int to) {
    double constant = full ? ProbabilisticKernels.HALF_LOG_2PI : 0;
    // The clamped variances, then their logs: max(var, eps) as the scalar loop's v < eps ? eps : v (NaN stays).
    double[] vs = new double[CHUNK];
    double[] logs = new double[CHUNK];
    DoubleVector acc = DoubleVector.zero(D);
    double tails = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      int vec = len - len % VL;
      for (int k = 0; k < vec; k++) {
        vs[k] = v[i + k] < eps ? eps : v[i + k];
      }
      System.arraycopy(vs, 0, logs, 0, vec);
      SimdMath.logInPlace(logs, 0, vec, true);
      for (int k = 0; k < vec; k += VL) {
        int j = i + k;
        DoubleVector iv = ONE.div(DoubleVector.fromArray(D, vs, k));
        DoubleVector d = DoubleVector.fromArray(D, x, j).sub(DoubleVector.fromArray(D, y, j));
        DoubleVector d2 = d.mul(d);
        DoubleVector q = d2.mul(iv);
        DoubleVector l = DoubleVector.fromArray(D, logs, k).add(q).mul(0.5).add(constant);
        if (each != null) {
          l.intoArray(each, j);
        } else {
          acc = acc.add(l);
        }
        DoubleVector dx = d.mul(iv).mul(scale);
        if (gx != null) {
          dx.intoArray(gx, j);
        }
        if (gy != null) {
          dx.neg().intoArray(gy, j);
        }
        if (gv != null) {
          iv.sub(q.mul(iv)).mul(0.5).mul(scale).intoArray(gv, j);
        }
      }
      if (vec < len) {
        tails += ProbabilisticKernels.gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale, i + vec,
            i + len);
      }
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  // ---- PoissonNLL ---------------------------------------------------------------------------------------

  /**
   * The main terms in one method, the Stirling term (when full) in another: one exp or log per compiled loop
   * (see {@link SimdBinary}).
   */
  static double poissonNllBlock(double[] x, double[] y, boolean logInput, boolean full, double eps, double[] each,
      double[] gx, double[] gy, double scale, int from, int to) {
    double s = poissonNllMain(x, y, logInput, eps, each, gx, gy, scale, from, to);
    return full ? s + poissonNllStirling(y, each, gy, scale, from, to) : s;
  }

  private static double poissonNllMain(double[] x, double[] y, boolean logInput, double eps, double[] each,
      double[] gx, double[] gy, double scale, int from, int to) {
    double[] t = new double[CHUNK];
    DoubleVector acc = DoubleVector.zero(D);
    double tails = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      int vec = len - len % VL;
      if (logInput) {
        SimdMath.expSum(x, i, t, vec, 0.0, true);
      } else {
        for (int k = 0; k < vec; k++) {
          t[k] = x[i + k] + eps;
        }
        SimdMath.logInPlace(t, 0, vec, true);
      }
      for (int k = 0; k < vec; k += VL) {
        int j = i + k;
        DoubleVector xv = DoubleVector.fromArray(D, x, j);
        DoubleVector yv = DoubleVector.fromArray(D, y, j);
        DoubleVector tv = DoubleVector.fromArray(D, t, k);
        DoubleVector l;
        DoubleVector dx;
        DoubleVector dy;
        if (logInput) {
          DoubleVector e = tv;
          l = e.sub(yv.mul(xv));
          dx = e.sub(yv);
          dy = xv.neg();
        } else {
          l = xv.sub(yv.mul(tv));
          dx = ONE.sub(yv.div(xv.add(eps)));
          dy = tv.neg();
        }
        if (each != null) {
          l.intoArray(each, j);
        } else {
          acc = acc.add(l);
        }
        if (gx != null) {
          dx.mul(scale).intoArray(gx, j);
        }
        if (gy != null) {
          dy.mul(scale).intoArray(gy, j);
        }
      }
      if (vec < len) {
        tails += ProbabilisticKernels.poissonNllMain(x, y, logInput, eps, each, gx, gy, scale, i + vec,
            i + len);
      }
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  /** Adds the Stirling term where y > 1 to {@code each} (or returns its sum) and its derivative to {@code gy}. */
  private static double poissonNllStirling(double[] y, double[] each, double[] gy, double scale, int from, int to) {
    double[] lys = new double[CHUNK];
    DoubleVector acc = DoubleVector.zero(D);
    double tails = 0;
    for (int i = from; i < to; i += CHUNK) {
      int len = Math.min(CHUNK, to - i);
      int vec = len - len % VL;
      System.arraycopy(y, i, lys, 0, vec);
      SimdMath.logInPlace(lys, 0, vec, true);
      for (int k = 0; k < vec; k += VL) {
        int j = i + k;
        DoubleVector yv = DoubleVector.fromArray(D, y, j);
        DoubleVector ly = DoubleVector.fromArray(D, lys, k);
        VectorMask<Double> above = yv.compare(VectorOperators.LE, 1.0).not();
        DoubleVector st = yv.mul(ly).sub(yv).add(ly.add(ProbabilisticKernels.LOG_2PI).mul(0.5));
        if (each != null) {
          DoubleVector l = DoubleVector.fromArray(D, each, j);
          l.blend(l.add(st), above).intoArray(each, j);
        } else {
          acc = acc.add(ZERO.blend(st, above));
        }
        if (gy != null) {
          DoubleVector g = ly.add(yv.div(yv)).sub(1.0).add(DoubleVector.broadcast(D, 0.5).div(yv));
          DoubleVector.fromArray(D, gy, j).add(g.mul(0.0).blend(g, above).mul(scale)).intoArray(gy, j);
        }
      }
      if (vec < len) {
        tails += ProbabilisticKernels.poissonNllStirling(y, each, gy, scale, i + vec, i + len);
      }
    }
    return SimdSpecies.sumLanes(acc) + tails;
  }

  // ---- float32 lanes --------------------------------------------------------------------------------------

  private static final jdk.incubator.vector.VectorSpecies<Float> FS = SimdMath32.Lanes.F;
  private static final int FL = FS.length();
  private static final FloatVector ONE32 = FloatVector.broadcast(FS, 1f);

  /** The lanes of {@link ProbabilisticKernels#klDiv32} over {@code [i, i + vec)}, vec a multiple of the lanes. */
  static double klDiv32(float[] x, float[] y, float[] t, boolean logTarget, float[] each, float[] gx, float[] gy,
      float sc, int i, int vec) {
    DoubleVector acc0 = DoubleVector.zero(D);
    DoubleVector acc1 = DoubleVector.zero(D);
    for (int k = 0; k < vec; k += FL) {
      int j = i + k;
      FloatVector xv = FloatVector.fromArray(FS, x, j);
      FloatVector yv = FloatVector.fromArray(FS, y, j);
      FloatVector tv = FloatVector.fromArray(FS, t, k);
      FloatVector l;
      FloatVector dx;
      FloatVector dy;
      if (logTarget) {
        l = tv.mul(yv.sub(xv));
        dx = tv.neg();
        dy = l.add(tv);
      } else {
        FloatVector ly = tv.blend(0f, yv.compare(VectorOperators.EQ, 0f));
        l = yv.mul(ly).sub(yv.mul(xv));
        dx = yv.neg();
        dy = ly.add(yv.div(yv)).sub(xv);
      }
      if (each != null) {
        l.intoArray(each, j);
      } else {
        acc0 = acc0.add(SimdBinary.widenLow(l));
        acc1 = acc1.add(SimdBinary.widenHigh(l));
      }
      if (gx != null) {
        dx.mul(sc).intoArray(gx, j);
      }
      if (gy != null) {
        dy.mul(sc).intoArray(gy, j);
      }
    }
    return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
  }

  /** The lanes of {@link ProbabilisticKernels#gaussianNll32} over {@code [i, i + vec)}. */
  static double gaussianNll32(float[] x, float[] y, float[] vs, float[] logs, float constant, float[] each,
      float[] gx, float[] gy, float[] gv, float sc, int i, int vec) {
    DoubleVector acc0 = DoubleVector.zero(D);
    DoubleVector acc1 = DoubleVector.zero(D);
    for (int k = 0; k < vec; k += FL) {
      int j = i + k;
      FloatVector iv = ONE32.div(FloatVector.fromArray(FS, vs, k));
      FloatVector d = FloatVector.fromArray(FS, x, j).sub(FloatVector.fromArray(FS, y, j));
      FloatVector q = d.mul(d).mul(iv);
      FloatVector l = FloatVector.fromArray(FS, logs, k).add(q).mul(0.5f).add(constant);
      if (each != null) {
        l.intoArray(each, j);
      } else {
        acc0 = acc0.add(SimdBinary.widenLow(l));
        acc1 = acc1.add(SimdBinary.widenHigh(l));
      }
      FloatVector dx = d.mul(iv).mul(sc);
      if (gx != null) {
        dx.intoArray(gx, j);
      }
      if (gy != null) {
        dx.neg().intoArray(gy, j);
      }
      if (gv != null) {
        iv.sub(q.mul(iv)).mul(0.5f).mul(sc).intoArray(gv, j);
      }
    }
    return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
  }

  /** The lanes of {@link ProbabilisticKernels#poissonNll32} over {@code [i, i + vec)}. */
  static double poissonNll32(float[] x, float[] y, float[] t, float[] ly, boolean logInput, float eps,
      float[] each, float[] gx, float[] gy, float sc, int i, int vec) {
    DoubleVector acc0 = DoubleVector.zero(D);
    DoubleVector acc1 = DoubleVector.zero(D);
    for (int k = 0; k < vec; k += FL) {
      int j = i + k;
      FloatVector xv = FloatVector.fromArray(FS, x, j);
      FloatVector yv = FloatVector.fromArray(FS, y, j);
      FloatVector tv = FloatVector.fromArray(FS, t, k);
      FloatVector l;
      FloatVector dx;
      FloatVector dy;
      if (logInput) {
        l = tv.sub(yv.mul(xv));
        dx = tv.sub(yv);
        dy = xv.neg();
      } else {
        l = xv.sub(yv.mul(tv));
        dx = ONE32.sub(yv.div(xv.add(eps)));
        dy = tv.neg();
      }
      dy = dy.mul(sc);
      if (ly != null) {
        FloatVector lyv = FloatVector.fromArray(FS, ly, k);
        VectorMask<Float> above = yv.compare(VectorOperators.LE, 1f).not();
        FloatVector st = yv.mul(lyv).sub(yv).add(lyv.add(ProbabilisticKernels.LOG_2PI_F).mul(0.5f));
        FloatVector g = lyv.add(yv.div(yv)).sub(1f).add(FloatVector.broadcast(FS, 0.5f).div(yv));
        l = l.blend(l.add(st), above);
        dy = dy.add(g.mul(0f).blend(g, above).mul(sc));
      }
      if (each != null) {
        l.intoArray(each, j);
      } else {
        acc0 = acc0.add(SimdBinary.widenLow(l));
        acc1 = acc1.add(SimdBinary.widenHigh(l));
      }
      if (gx != null) {
        dx.mul(sc).intoArray(gx, j);
      }
      if (gy != null) {
        dy.intoArray(gy, j);
      }
    }
    return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1);
  }
}
