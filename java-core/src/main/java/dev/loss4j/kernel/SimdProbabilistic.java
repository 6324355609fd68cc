package dev.loss4j.kernel;

import static dev.loss4j.kernel.SimdSpecies.D;
import static dev.loss4j.kernel.SimdSpecies.load;
import static dev.loss4j.kernel.SimdSpecies.store;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API twins of {@link ProbabilisticKernels}' block loops: the same formulas lane for lane, so every
 * element and gradient is the same bits as the scalar loop's; only the block sums add in another order.
 * Remainders shorter than a vector run the scalar loop. Loaded only when {@link Vectorization#ENABLED}.
 */
final class SimdProbabilistic {
  private SimdProbabilistic() {}

  private static final DoubleVector ZERO = DoubleVector.zero(D);
  private static final int VL = D.length();

  /** Each lane rounded to float32 and back. */
  private static DoubleVector f32(DoubleVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.D2F, SimdSpecies.F, 0)
        .convertShape(VectorOperators.F2D, D, 0);
  }

  // ---- KLDiv --------------------------------------------------------------------------------------------

  /** log y, or 0 where y = 0. */
  private static DoubleVector logOrZero(DoubleVector y) {
    return SimdBinary.log(y).blend(0.0, y.compare(VectorOperators.EQ, 0.0));
  }

  static double klDivBlock(float[] x, float[] y, boolean logTarget, float[] each, float[] gx, float[] gy,
      double scale, int from, int to) {
    DoubleVector acc = ZERO;
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector xv = load(x, i);
      DoubleVector yv = load(y, i);
      DoubleVector l;
      DoubleVector dx;
      DoubleVector dy = null;
      if (logTarget) {
        DoubleVector e = f32(SimdBinary.exp(yv));
        l = e.mul(yv.sub(xv));
        dx = e.neg();
        if (gy != null) {
          dy = l.add(e);
        }
      } else {
        DoubleVector ly = logOrZero(yv);
        l = f32(yv.mul(ly)).sub(yv.mul(xv));
        dx = yv.neg();
        if (gy != null) {
          dy = ly.add(yv.div(yv)).sub(xv);
        }
      }
      if (each != null) {
        store(l, each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        store(dx.mul(scale), gx, i);
      }
      if (gy != null) {
        store(dy.mul(scale), gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc)
        + ProbabilisticKernels.klDivBlock(x, y, logTarget, each, gx, gy, scale, i, to);
  }

  static double klDivBlock(double[] x, double[] y, boolean logTarget, double[] each, double[] gx, double[] gy,
      double scale, int from, int to) {
    DoubleVector acc = ZERO;
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector xv = DoubleVector.fromArray(D, x, i);
      DoubleVector yv = DoubleVector.fromArray(D, y, i);
      DoubleVector l;
      DoubleVector dx;
      DoubleVector dy = null;
      if (logTarget) {
        DoubleVector e = SimdBinary.exp(yv);
        l = e.mul(yv.sub(xv));
        dx = e.neg();
        if (gy != null) {
          dy = l.add(e);
        }
      } else {
        DoubleVector ly = logOrZero(yv);
        l = yv.mul(ly).sub(yv.mul(xv));
        dx = yv.neg();
        if (gy != null) {
          dy = ly.add(yv.div(yv)).sub(xv);
        }
      }
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        dx.mul(scale).intoArray(gx, i);
      }
      if (gy != null) {
        dy.mul(scale).intoArray(gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc)
        + ProbabilisticKernels.klDivBlock(x, y, logTarget, each, gx, gy, scale, i, to);
  }

  // ---- GaussianNLL --------------------------------------------------------------------------------------

  /** max(var, eps) as the scalar loop's {@code v < eps ? eps : v}: NaN stays NaN. */
  private static DoubleVector clamp(DoubleVector v, double eps) {
    return v.blend(eps, v.compare(VectorOperators.LT, eps));
  }

  static double gaussianNllBlock(float[] x, float[] y, float[] v, double eps, boolean full, float[] each,
      float[] gx, float[] gy, float[] gv, double scale, int from, int to) {
    double constant = full ? ProbabilisticKernels.HALF_LOG_2PI : 0;
    DoubleVector acc = ZERO;
    DoubleVector one = DoubleVector.broadcast(D, 1.0);
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector vv = clamp(load(v, i), eps);
      DoubleVector iv = one.div(vv);
      DoubleVector d = f32(load(x, i).sub(load(y, i)));
      DoubleVector q = f32(d.mul(d)).mul(iv);
      DoubleVector l = f32(SimdBinary.log(vv)).add(q).mul(0.5).add(constant);
      if (each != null) {
        store(l, each, i);
      } else {
        acc = acc.add(l);
      }
      DoubleVector dx = d.mul(iv).mul(scale);
      if (gx != null) {
        store(dx, gx, i);
      }
      if (gy != null) {
        store(dx.neg(), gy, i);
      }
      if (gv != null) {
        store(iv.sub(q.mul(iv)).mul(0.5).mul(scale), gv, i);
      }
    }
    return SimdSpecies.sumLanes(acc)
        + ProbabilisticKernels.gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale, i, to);
  }

  static double gaussianNllBlock(double[] x, double[] y, double[] v, double eps, boolean full, double[] each,
      double[] gx, double[] gy, double[] gv, double scale, int from, int to) {
    double constant = full ? ProbabilisticKernels.HALF_LOG_2PI : 0;
    DoubleVector acc = ZERO;
    DoubleVector one = DoubleVector.broadcast(D, 1.0);
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector vv = clamp(DoubleVector.fromArray(D, v, i), eps);
      DoubleVector iv = one.div(vv);
      DoubleVector d = DoubleVector.fromArray(D, x, i).sub(DoubleVector.fromArray(D, y, i));
      DoubleVector q = d.mul(d).mul(iv);
      DoubleVector l = SimdBinary.log(vv).add(q).mul(0.5).add(constant);
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc = acc.add(l);
      }
      DoubleVector dx = d.mul(iv).mul(scale);
      if (gx != null) {
        dx.intoArray(gx, i);
      }
      if (gy != null) {
        dx.neg().intoArray(gy, i);
      }
      if (gv != null) {
        iv.sub(q.mul(iv)).mul(0.5).mul(scale).intoArray(gv, i);
      }
    }
    return SimdSpecies.sumLanes(acc)
        + ProbabilisticKernels.gaussianNllBlock(x, y, v, eps, full, each, gx, gy, gv, scale, i, to);
  }

  // ---- PoissonNLL ---------------------------------------------------------------------------------------

  /** Adds the Stirling term to {@code l} where y > 1 (or NaN), as the scalar loop. */
  private static DoubleVector withStirling(DoubleVector l, DoubleVector y, DoubleVector ly,
      VectorMask<Double> above) {
    DoubleVector st = y.mul(ly).sub(y).add(ly.add(ProbabilisticKernels.LOG_2PI).mul(0.5));
    return l.blend(l.add(st), above);
  }

  /** d/dy plus the Stirling derivative where y > 1, plus 0 times it elsewhere. */
  private static DoubleVector withStirlingGrad(DoubleVector dy, DoubleVector y, DoubleVector ly,
      VectorMask<Double> above) {
    DoubleVector g = ly.add(y.div(y)).sub(1.0).add(DoubleVector.broadcast(D, 0.5).div(y));
    return dy.add(g.mul(0.0).blend(g, above));
  }

  static double poissonNllBlock(float[] x, float[] y, boolean logInput, boolean full, double eps, float[] each,
      float[] gx, float[] gy, double scale, int from, int to) {
    float epsF = (float) eps;
    DoubleVector acc = ZERO;
    DoubleVector one = DoubleVector.broadcast(D, 1.0);
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector xv = load(x, i);
      DoubleVector yv = load(y, i);
      DoubleVector l;
      DoubleVector dx;
      DoubleVector dy;
      if (logInput) {
        DoubleVector e = f32(SimdBinary.exp(xv));
        l = e.sub(yv.mul(xv));
        dx = e.sub(yv);
        dy = xv.neg();
      } else {
        DoubleVector lg = f32(SimdBinary.log(f32(xv.add(epsF))));
        l = xv.sub(yv.mul(lg));
        dx = one.sub(yv.div(xv.add(eps)));
        dy = lg.neg();
      }
      if (full) {
        DoubleVector ly = SimdBinary.log(yv);
        VectorMask<Double> above = yv.compare(VectorOperators.LE, 1.0).not();
        l = withStirling(l, yv, ly, above);
        if (gy != null) {
          dy = withStirlingGrad(dy, yv, ly, above);
        }
      }
      if (each != null) {
        store(l, each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        store(dx.mul(scale), gx, i);
      }
      if (gy != null) {
        store(dy.mul(scale), gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc)
        + ProbabilisticKernels.poissonNllBlock(x, y, logInput, full, eps, each, gx, gy, scale, i, to);
  }

  static double poissonNllBlock(double[] x, double[] y, boolean logInput, boolean full, double eps, double[] each,
      double[] gx, double[] gy, double scale, int from, int to) {
    DoubleVector acc = ZERO;
    DoubleVector one = DoubleVector.broadcast(D, 1.0);
    int i = from;
    for (int end = to - VL; i <= end; i += VL) {
      DoubleVector xv = DoubleVector.fromArray(D, x, i);
      DoubleVector yv = DoubleVector.fromArray(D, y, i);
      DoubleVector l;
      DoubleVector dx;
      DoubleVector dy;
      if (logInput) {
        DoubleVector e = SimdBinary.exp(xv);
        l = e.sub(yv.mul(xv));
        dx = e.sub(yv);
        dy = xv.neg();
      } else {
        DoubleVector lg = SimdBinary.log(xv.add(eps));
        l = xv.sub(yv.mul(lg));
        dx = one.sub(yv.div(xv.add(eps)));
        dy = lg.neg();
      }
      if (full) {
        DoubleVector ly = SimdBinary.log(yv);
        VectorMask<Double> above = yv.compare(VectorOperators.LE, 1.0).not();
        l = withStirling(l, yv, ly, above);
        if (gy != null) {
          dy = withStirlingGrad(dy, yv, ly, above);
        }
      }
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        dx.mul(scale).intoArray(gx, i);
      }
      if (gy != null) {
        dy.mul(scale).intoArray(gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc)
        + ProbabilisticKernels.poissonNllBlock(x, y, logInput, full, eps, each, gx, gy, scale, i, to);
  }
}
