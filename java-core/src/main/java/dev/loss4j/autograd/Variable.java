package dev.loss4j.autograd;

import dev.loss4j.errors.RuntimeError;
import dev.loss4j.tensor.Shapes;
import dev.loss4j.tensor.Tensor;
import dev.loss4j.tensor.TensorMath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tensor in an autograd graph, as a PyTorch tensor with {@code requires_grad}: a leaf that collects
 * {@link #grad()}, or the output of an operation that remembers how to send gradients back
 * ({@link #gradFnName()} names it as PyTorch does, e.g. {@code MseLossBackward0}).
 *
 * <p>Variables are mutable (a leaf's grad accumulates) and, like PyTorch tensors, not thread-safe: use
 * one graph from one thread. The tensors they hold are immutable.
 */
public final class Variable {
  private final Tensor data;
  private boolean requiresGrad;
  private final Node gradFn;
  private Tensor grad;

  private Variable(Tensor data, boolean requiresGrad, Node gradFn) {
    this.data = data;
    this.requiresGrad = requiresGrad;
    this.gradFn = gradFn;
  }

  /** A leaf: a tensor the user made, which collects a gradient when {@code requiresGrad}. */
  public static Variable leaf(Tensor data, boolean requiresGrad) {
    if (requiresGrad) {
      checkCanRequireGrad(data);
    }
    return new Variable(data, requiresGrad, null);
  }

  /** A leaf that takes no gradient. */
  public static Variable constant(Tensor data) {
    return new Variable(data, false, null);
  }

  /**
   * Applies a differentiable operation to variables and records it in the graph when any input requires
   * a gradient and {@link GradMode} is on (as under {@code torch.no_grad()}, nothing is recorded when it is
   * off). Warnings of the operation are returned through {@code warningsOut} when it is not null.
   */
  public static Variable apply(Differentiable op, List<String> warningsOut, Variable... inputs) {
    Tensor[] tensors = new Tensor[inputs.length];
    boolean[] needs = new boolean[inputs.length];
    boolean recording = GradMode.isEnabled();
    boolean any = false;
    for (int i = 0; i < inputs.length; i++) {
      tensors[i] = inputs[i] == null ? null : inputs[i].data;
      needs[i] = recording && inputs[i] != null && inputs[i].requiresGrad;
      any |= needs[i];
    }
    Differentiable.Result r = Differentiable.run(op, tensors, needs);
    if (warningsOut != null) {
      warningsOut.addAll(r.warnings());
    }
    if (!any || r.backward() == null) {
      return constant(r.output());
    }
    return fromOp(r.output(), r.gradFnName(), inputs, needs, r.backward());
  }

  /** The output of an operation whose inputs flagged in {@code needs} receive gradients from {@code fn}. */
  public static Variable fromOp(Tensor output, String name, Variable[] inputs, boolean[] needs, GradientFunction fn) {
    Variable[] tracked = new Variable[inputs.length];
    boolean any = false;
    for (int i = 0; i < inputs.length; i++) {
      if (needs[i]) {
        tracked[i] = inputs[i];
        any = true;
      }
    }
    if (!any) {
      return constant(output);
    }
    return new Variable(output, true, new Node(name, tracked, fn));
  }

  private static void checkCanRequireGrad(Tensor t) {
    if (!t.dtype().isFloatingPoint()) {
      throw new RuntimeError("only Tensors of floating point dtype can require gradients");
    }
  }

  public Tensor data() {
    return data;
  }

  public boolean requiresGrad() {
    return requiresGrad;
  }

  public boolean isLeaf() {
    return gradFn == null;
  }

  /** Turns gradient tracking on or off for a leaf, as {@code requires_grad_()}. */
  public Variable requiresGrad(boolean flag) {
    if (!isLeaf()) {
      if (!flag) {
        throw new RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use"
            + " a computed variable in a subgraph that doesn't require differentiation use"
            + " var_no_grad = var.detach().");
      }
      return this;
    }
    if (flag) {
      checkCanRequireGrad(data);
    }
    requiresGrad = flag;
    return this;
  }

  /** The accumulated gradient of a leaf, or null before any backward reaches it. */
  public Tensor grad() {
    return grad;
  }

  public void setGrad(Tensor g) {
    this.grad = g;
  }

  /** PyTorch's name of the operation that made this variable, e.g. {@code MseLossBackward0}; null for leaves. */
  public String gradFnName() {
    return gradFn == null ? null : gradFn.name;
  }

  /** The same data, cut from the graph, as {@code detach()}. */
  public Variable detach() {
    return constant(data);
  }

  /** {@code backward()} of a one-element output. */
  public void backward() {
    backward(null, false);
  }

  public void backward(Tensor gradient) {
    backward(gradient, false);
  }

  /**
   * Sends {@code gradient} (ones for a one-element output when null) back through the graph and adds
   * the result to every reachable leaf's {@link #grad()}. The graph is freed unless {@code retainGraph}.
   */
  public void backward(Tensor gradient, boolean retainGraph) {
    if (!requiresGrad) {
      throw new RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn");
    }
    if (gradient == null) {
      if (data.numel() != 1) {
        throw new RuntimeError("grad can be implicitly created only for scalar outputs");
      }
      gradient = Tensor.full(1.0, data.dtype(), data.shape());
    } else if (!gradient.sameShape(data)) {
      throw new RuntimeError("Mismatch in shape: grad_output[0] has a shape of " + Shapes.torchSize(gradient.shape())
          + " and output[0] has a shape of " + Shapes.torchSize(data.shape()) + ".");
    } else if (gradient.dtype() != data.dtype()) {
      gradient = gradient.to(data.dtype());
    }
    if (gradFn == null) {
      accumulate(this, gradient);
      return;
    }
    List<Node> order = topologicalOrder(gradFn);
    Map<Node, Tensor> pending = new IdentityHashMap<>();
    pending.put(gradFn, gradient);
    for (Node node : order) {
      Tensor g = pending.remove(node);
      if (g == null) {
        continue;
      }
      if (node.released) {
        throw new RuntimeError("Trying to backward through the graph a second time (or directly access saved"
            + " tensors after they have already been freed). Saved intermediate values of the graph are freed"
            + " when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward"
            + " through the graph a second time or if you need to access saved tensors after calling backward.");
      }
      Tensor[] grads = node.fn.backward(g);
      if (!retainGraph) {
        node.released = true;
      }
      for (int i = 0; i < node.inputs.length; i++) {
        Variable in = node.inputs[i];
        if (in == null || grads[i] == null) {
          continue;
        }
        if (in.gradFn == null) {
          accumulate(in, grads[i]);
        } else {
          pending.merge(in.gradFn, grads[i], TensorMath::add);
        }
      }
    }
  }

  private static void accumulate(Variable leaf, Tensor g) {
    if (!leaf.requiresGrad) {
      return;
    }
    Tensor cast = g.dtype() == leaf.data.dtype() ? g : g.to(leaf.data.dtype());
    leaf.grad = leaf.grad == null ? cast : TensorMath.add(leaf.grad, cast);
  }

  /** Nodes reachable from {@code root}, each after every node that feeds it a gradient. */
  private static List<Node> topologicalOrder(Node root) {
    List<Node> post = new ArrayList<>();
    Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    seen.add(root);
    while (!stack.isEmpty()) {
      Object[] frame = stack.peek();
      Node node = (Node) frame[0];
      int next = (Integer) frame[1];
      if (next < node.inputs.length) {
        frame[1] = next + 1;
        Variable in = node.inputs[next];
        if (in != null && in.gradFn != null && seen.add(in.gradFn)) {
          stack.push(new Object[] {in.gradFn, 0});
        }
      } else {
        stack.pop();
        post.add(node);
      }
    }
    java.util.Collections.reverse(post);
    return post;
  }

  @Override
  public String toString() {
    List<String> suffixes = new ArrayList<>();
    if (gradFn != null) {
      suffixes.add("grad_fn=<" + gradFn.name + ">");
    } else if (requiresGrad) {
      suffixes.add("requires_grad=True");
    }
    return dev.loss4j.tensor.TensorFormatter.repr(data, suffixes);
  }

  /** One recorded operation. */
  private static final class Node {
    final String name;
    final Variable[] inputs;
    final GradientFunction fn;
    boolean released;

    Node(String name, Variable[] inputs, GradientFunction fn) {
      this.name = name;
      this.inputs = inputs;
      this.fn = fn;
    }
  }
}
