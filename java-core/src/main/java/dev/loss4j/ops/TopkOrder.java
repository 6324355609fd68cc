package dev.loss4j.ops;

/**
 * The order in which PyTorch's CPU {@code topk} leaves equal values: its kernel puts (value, index) pairs through
 * the C++ standard library's selection algorithms with a comparator on values only, so ties come out in whatever
 * order those algorithms leave them. This class follows the GNU libstdc++ algorithms step by step (PyTorch's Linux
 * wheels are built with it): {@code partial_sort} (a heap selection, then a heap sort) when k * 64 <= n, else
 * {@code nth_element} (introselect: median-of-three partitions, insertion sort below four elements) followed, when
 * sorted, by {@code sort} (introsort: partitions down to 16 elements, then insertion sort) of the first k - 1.
 *
 * <p>The comparator is PyTorch's: for the largest, x before y when x is NaN and y is not, or x > y; for the
 * smallest, when y is NaN and x is not, or x < y.
 */
final class TopkOrder {
  private final double[] key;
  private final int[] pos;
  private final boolean largest;

  private TopkOrder(double[] values, boolean largest) {
    this.key = values.clone();
    this.pos = new int[values.length];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = i;
    }
    this.largest = largest;
  }

  /** The indices of the k values topk returns, in the order it returns them. */
  static int[] select(double[] values, int k, boolean largest, boolean sorted) {
    TopkOrder q = new TopkOrder(values, largest);
    int n = values.length;
    if (k > 0) {
      if ((long) k * 64 <= n) {
        q.heapSelect(0, k, n);
        q.sortHeap(0, k);
      } else {
        q.nthElement(0, k - 1, n);
        if (sorted) {
          q.sort(0, k - 1);
        }
      }
    }
    return java.util.Arrays.copyOf(q.pos, k);
  }

  private boolean less(double x, double y) {
    boolean nx = Double.isNaN(x);
    boolean ny = Double.isNaN(y);
    return largest ? (nx && !ny) || x > y : (!nx && ny) || x < y;
  }

  private boolean less(int i, int j) {
    return less(key[i], key[j]);
  }

  private void swap(int i, int j) {
    double k = key[i];
    key[i] = key[j];
    key[j] = k;
    int p = pos[i];
    pos[i] = pos[j];
    pos[j] = p;
  }

  private void set(int to, int from) {
    key[to] = key[from];
    pos[to] = pos[from];
  }

  // ---- heaps (__make_heap, __adjust_heap, __push_heap, __pop_heap, __heap_select, __sort_heap) ----------

  private void makeHeap(int first, int last) {
    int len = last - first;
    if (len < 2) {
      return;
    }
    for (int parent = (len - 2) / 2; ; parent--) {
      adjustHeap(first, parent, len, key[first + parent], pos[first + parent]);
      if (parent == 0) {
        return;
      }
    }
  }

  private void adjustHeap(int first, int hole, int len, double vKey, int vPos) {
    int top = hole;
    int child = hole;
    while (child < (len - 1) / 2) {
      child = 2 * (child + 1);
      if (less(first + child, first + child - 1)) {
        child--;
      }
      set(first + hole, first + child);
      hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
      child = 2 * (child + 1);
      set(first + hole, first + child - 1);
      hole = child - 1;
    }
    int parent = (hole - 1) / 2;
    while (hole > top && less(key[first + parent], vKey)) {
      set(first + hole, first + parent);
      hole = parent;
      parent = (hole - 1) / 2;
    }
    key[first + hole] = vKey;
    pos[first + hole] = vPos;
  }

  private void popHeap(int first, int last, int result) {
    double vKey = key[result];
    int vPos = pos[result];
    set(result, first);
    adjustHeap(first, 0, last - first, vKey, vPos);
  }

  private void heapSelect(int first, int middle, int last) {
    makeHeap(first, middle);
    for (int i = middle; i < last; i++) {
      if (less(i, first)) {
        popHeap(first, middle, i);
      }
    }
  }

  private void sortHeap(int first, int last) {
    while (last - first > 1) {
      last--;
      popHeap(first, last, last);
    }
  }

  // ---- partitions and insertion sort (__move_median_to_first, __unguarded_partition, __insertion_sort) ----

  private int partitionPivot(int first, int last) {
    int mid = first + (last - first) / 2;
    int a = first + 1;
    int c = last - 1;
    if (less(a, mid)) {
      swap(first, less(mid, c) ? mid : less(a, c) ? c : a);
    } else {
      swap(first, less(a, c) ? a : less(mid, c) ? c : mid);
    }
    int lo = first + 1;
    int hi = last;
    while (true) {
      while (less(lo, first)) {
        lo++;
      }
      hi--;
      while (less(first, hi)) {
        hi--;
      }
      if (lo >= hi) {
        return lo;
      }
      swap(lo, hi);
      lo++;
    }
  }

  private void insertionSort(int first, int last) {
    if (first == last) {
      return;
    }
    for (int i = first + 1; i < last; i++) {
      double vKey = key[i];
      int vPos = pos[i];
      if (less(vKey, key[first])) {
        System.arraycopy(key, first, key, first + 1, i - first);
        System.arraycopy(pos, first, pos, first + 1, i - first);
        key[first] = vKey;
        pos[first] = vPos;
      } else {
        linearInsert(i);
      }
    }
  }

  private void linearInsert(int last) {
    double vKey = key[last];
    int vPos = pos[last];
    int next = last - 1;
    while (less(vKey, key[next])) {
      set(last, next);
      last = next;
      next--;
    }
    key[last] = vKey;
    pos[last] = vPos;
  }

  private static int lg(int n) {
    return 31 - Integer.numberOfLeadingZeros(n);
  }

  // ---- nth_element (__introselect) and sort (__introsort_loop, __final_insertion_sort) -----------------

  private void nthElement(int first, int nth, int last) {
    if (first == last || nth == last) {
      return;
    }
    int depth = lg(last - first) * 2;
    while (last - first > 3) {
      if (depth == 0) {
        heapSelect(first, nth + 1, last);
        swap(first, nth);
        return;
      }
      depth--;
      int cut = partitionPivot(first, last);
      if (cut <= nth) {
        first = cut;
      } else {
        last = cut;
      }
    }
    insertionSort(first, last);
  }

  private void sort(int first, int last) {
    if (first == last) {
      return;
    }
    introsort(first, last, lg(last - first) * 2);
    if (last - first > 16) {
      insertionSort(first, first + 16);
      for (int i = first + 16; i < last; i++) {
        linearInsert(i);
      }
    } else {
      insertionSort(first, last);
    }
  }

  private void introsort(int first, int last, int depth) {
    while (last - first > 16) {
      if (depth == 0) {
        heapSelect(first, last, last);
        sortHeap(first, last);
        return;
      }
      depth--;
      int cut = partitionPivot(first, last);
      introsort(cut, last, depth);
      last = cut;
    }
  }
}
