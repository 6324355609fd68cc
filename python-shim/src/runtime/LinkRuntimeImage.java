import java.io.PrintWriter;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.attribute.ModuleResolutionAttribute;
import jdk.tools.jlink.internal.Main;
import jdk.tools.jlink.internal.PluginRepository;
import jdk.tools.jlink.plugin.Plugin;
import jdk.tools.jlink.plugin.ResourcePool;
import jdk.tools.jlink.plugin.ResourcePoolBuilder;
import jdk.tools.jlink.plugin.ResourcePoolEntry;

/**
 * Runs jlink for build-runtime.sh with one extra step: in the image it makes, incubator modules (today only
 * jdk.incubator.vector, the Vector API the engine's SIMD kernels use) lose their "warn when resolved" mark.
 *
 * <p>Why: a JVM that resolves a module with that mark prints "WARNING: Using incubator modules" on stderr
 * before any of our code runs, and also gives up the archived module graph, and with it the AOT-linked
 * classes of the launcher's AOT cache (a slower start). Without the mark the module is an ordinary one that
 * is still not resolved unless asked for ({@code --add-modules jdk.incubator.vector}).
 *
 * <p>jlink takes extra steps only as plugins, which it finds among the JDK's own modules or registered
 * through its internal plugin repository; this class registers itself there and then runs jlink in the same
 * JVM. Needs {@code --add-exports} of jdk.tools.jlink.internal and jdk.tools.jlink.plugin (see the script).
 * Arguments are jlink's.
 */
public final class LinkRuntimeImage implements Plugin {
  private static final String NAME = "loss4j-unmark-incubators";
  /** ModuleResolution flag bit: warn when the module is resolved because it is incubating. */
  private static final int WARN_INCUBATING = 0x8;

  public static void main(String[] args) {
    PluginRepository.registerPlugin(new LinkRuntimeImage());
    String[] withPlugin = java.util.Arrays.copyOf(args, args.length + 1);
    withPlugin[args.length] = "--" + NAME;
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(Main.run(out, err, withPlugin));
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getDescription() {
    return "clears the warn-if-incubating bit of every module-info (loss4j's runtime image)";
  }

  // A filter runs before jlink's own module-info step, which copies each module's resolution flags into the
  // image's precomputed module graph; a later step would leave the flag set there.
  @Override
  public Category getType() {
    return Category.FILTER;
  }

  @Override
  public ResourcePool transform(ResourcePool in, ResourcePoolBuilder out) {
    in.transformAndCopy(this::unmark, out);
    return out.build();
  }

  private ResourcePoolEntry unmark(ResourcePoolEntry entry) {
    if (!entry.path().endsWith("/module-info.class")) {
      return entry;
    }
    ClassFile files = ClassFile.of();
    ClassModel info = files.parse(entry.contentBytes());
    int flags = info.findAttribute(Attributes.moduleResolution())
        .map(ModuleResolutionAttribute::resolutionFlags).orElse(0);
    if ((flags & WARN_INCUBATING) == 0) {
      return entry;
    }
    ModuleResolutionAttribute unmarked = ModuleResolutionAttribute.of(flags & ~WARN_INCUBATING);
    byte[] bytes = files.transformClass(info, ClassTransform.dropping(e -> e instanceof ModuleResolutionAttribute)
        .andThen(ClassTransform.endHandler(builder -> builder.with(unmarked))));
    return entry.copyWithContent(bytes);
  }
}
