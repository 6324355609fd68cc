package dev.loss4j.spark;

import dev.loss4j.tensor.DType;
import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * A loss bound to the Spark types of its arguments: which arguments are tensors (read per row into
 * slots), which are the reduction and the options (read once), and the floating dtype the engine
 * computes in: float32 when the first argument holds floats, float64 otherwise.
 */
final class Signature implements Serializable {
  private static final long serialVersionUID = 1L;

  final Loss loss;
  final DataType[] types;
  /** Arguments before the loss's own (1 for the gradient's denominator). */
  final int offset;
  final int[] slotArg;
  final DType[] slotDtype;
  final DType dtype;
  final boolean float32;
  /** Every tensor slot is a scalar column (the elementwise losses over scalar columns): no per-row arrays. */
  final boolean allScalar;

  Signature(Loss loss, StructType input, int offset) {
    this.loss = loss;
    this.offset = offset;
    this.types = new DataType[input.fields().length];
    for (int i = 0; i < types.length; i++) {
      types[i] = input.fields()[i].dataType();
    }
    int max = offset + loss.tensors + 1 + loss.options.size();
    if (types.length < offset + loss.tensors || types.length > max) {
      throw new IllegalArgumentException(loss.sqlName() + " takes " + (offset + loss.tensors) + " to " + max
          + " arguments (" + (offset > 0 ? "denominator, " : "") + "tensors, reduction, " + loss.options
          + "), got " + types.length);
    }
    int weightArg = offset + loss.tensors + 1 + loss.options.indexOf("weight");
    boolean rowWeight = loss.rowWeight() && weightArg < types.length && !(types[weightArg] instanceof NullType);
    int slots = loss.tensors + (rowWeight ? 1 : 0);
    slotArg = new int[slots];
    slotDtype = new DType[slots];
    for (int s = 0; s < loss.tensors; s++) {
      slotArg[s] = offset + s;
    }
    if (rowWeight) {
      slotArg[loss.tensors] = weightArg;
    }
    dtype = element(types[offset]) instanceof FloatType ? DType.FLOAT32 : DType.FLOAT64;
    float32 = dtype == DType.FLOAT32;
    for (int s = 0; s < slots; s++) {
      DataType e = element(types[slotArg[s]]);
      boolean integralColumn = e instanceof IntegerType || e instanceof LongType || e instanceof ShortType
          || e instanceof ByteType;
      slotDtype[s] = loss.integral(s, integralColumn) ? DType.INT64 : dtype;
    }
    allScalar = java.util.Arrays.stream(slotArg).noneMatch(a -> types[a] instanceof ArrayType);
  }

  int slots() {
    return slotArg.length;
  }

  /** The Spark type of a float result shaped like tensor slot 0 (a scalar, array or array of arrays). */
  DataType floatLike(DataType t) {
    if (t instanceof ArrayType a) {
      return DataTypes.createArrayType(floatLike(a.elementType()), false);
    }
    return scalarType();
  }

  DataType scalarType() {
    return float32 ? DataTypes.FloatType : DataTypes.DoubleType;
  }

  Object box(double v) {
    return float32 ? (Object) (float) v : (Object) v;
  }

  /** The options from a row's constant arguments, PyTorch's defaults where absent. */
  Options options(InternalRow row) {
    Options o = loss.defaults();
    int r = offset + loss.tensors;
    if (r < types.length) {
      o.set("reduction", option(row, r, types[r]));
    }
    for (int i = 0; i < loss.options.size(); i++) {
      int a = r + 1 + i;
      boolean isSlot = slotArg.length > loss.tensors && slotArg[loss.tensors] == a;
      if (a < types.length && !isSlot) {
        o.set(loss.options.get(i), option(row, a, types[a]));
      }
    }
    String red = o.reduction;
    if (!red.equals("mean") && !red.equals("sum") && !red.equals("none")
        && !(red.equals("batchmean") && loss == Loss.KL_DIV)) {
      throw new IllegalArgumentException(red + " is not a valid value for reduction");
    }
    return o;
  }

  /**
   * Reads the tensor slots of a row into {@code data} and {@code shapes}; false when one of them is null
   * (the row is skipped, as SQL aggregates skip nulls).
   */
  /**
   * For an all-scalar signature: appends the row's values to {@code batch} as one row, without the per-row
   * arrays {@link #read} makes (they were most of an elementwise aggregate's cost per row). False, and
   * nothing appended, when a tensor argument is null.
   */
  boolean readScalars(InternalRow row, Batch batch) {
    for (int a : slotArg) {
      if (row.isNullAt(a)) {
        return false;
      }
    }
    for (int s = 0; s < slotArg.length; s++) {
      batch.appendScalar(s, number(row, slotArg[s], types[slotArg[s]]));
    }
    batch.endScalarRow();
    return true;
  }

  boolean read(InternalRow row, double[][] data, int[][] shapes) {
    for (int s = 0; s < slotArg.length; s++) {
      int a = slotArg[s];
      if (row.isNullAt(a)) {
        return false;
      }
      DataType t = types[a];
      if (t instanceof ArrayType at) {
        ArrayData arr = row.getArray(a);
        if (at.elementType() instanceof ArrayType inner) {
          int n = arr.numElements();
          int m = n == 0 ? 0 : arr.getArray(0).numElements();
          double[] d = new double[n * m];
          for (int i = 0; i < n; i++) {
            ArrayData rowI = arr.getArray(i);
            if (rowI.numElements() != m) {
              throw new IllegalArgumentException(loss.sqlName() + ": argument " + (a + 1) + " is ragged");
            }
            for (int j = 0; j < m; j++) {
              d[i * m + j] = number(rowI, j, inner.elementType());
            }
          }
          data[s] = d;
          shapes[s] = new int[] {n, m};
        } else {
          data[s] = numbers(arr, at.elementType());
          shapes[s] = new int[] {arr.numElements()};
        }
      } else {
        data[s] = new double[] {number(row, a, t)};
        shapes[s] = new int[0];
      }
    }
    return true;
  }

  private static DataType element(DataType t) {
    while (t instanceof ArrayType a) {
      t = a.elementType();
    }
    return t;
  }

  private static double[] numbers(ArrayData arr, DataType e) {
    if (e instanceof DoubleType) {
      return arr.toDoubleArray();
    }
    int n = arr.numElements();
    double[] d = new double[n];
    if (e instanceof FloatType) {
      float[] f = arr.toFloatArray(); // one bulk copy: cheaper than a getFloat call per element
      for (int i = 0; i < n; i++) {
        d[i] = f[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        d[i] = number(arr, i, e);
      }
    }
    return d;
  }

  static double number(SpecializedGetters g, int i, DataType t) {
    if (t instanceof DoubleType) {
      return g.getDouble(i);
    } else if (t instanceof FloatType) {
      return g.getFloat(i);
    } else if (t instanceof LongType) {
      return g.getLong(i);
    } else if (t instanceof IntegerType) {
      return g.getInt(i);
    } else if (t instanceof ShortType) {
      return g.getShort(i);
    } else if (t instanceof ByteType) {
      return g.getByte(i);
    } else if (t instanceof BooleanType) {
      return g.getBoolean(i) ? 1 : 0;
    } else if (t instanceof DecimalType d) {
      return g.getDecimal(i, d.precision(), d.scale()).toDouble();
    }
    throw new IllegalArgumentException("not a number: " + t.simpleString());
  }

  /** A constant argument as a String, Boolean, Double, double[] or null. */
  private static Object option(InternalRow row, int i, DataType t) {
    if (t instanceof NullType || row.isNullAt(i)) {
      return null;
    } else if (t instanceof StringType) {
      return row.getUTF8String(i).toString();
    } else if (t instanceof BooleanType) {
      return row.getBoolean(i);
    } else if (t instanceof ArrayType a) {
      return numbers(row.getArray(i), a.elementType());
    }
    return number(row, i, t);
  }
}
