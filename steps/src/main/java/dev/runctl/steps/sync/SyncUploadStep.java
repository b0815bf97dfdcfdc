package dev.runctl.steps.sync;

import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code sync.upload}: the half of a sync that needs no machine, on a target that keeps the files
 * in a store of its own ({@link dev.runctl.engine.spi.TargetConfig#stagesFiles()}: the aws bucket).
 * The planner puts it ahead of its sync step, beside provision: it hashes the workdir and sends
 * what the store lacks while the machine boots, and the sync step then finds everything there and
 * only has the machine pull it. Never written in a spec; the sync step still sends what is missing
 * when it runs without it (a resume with changed files, a replaced machine).
 */
public final class SyncUploadStep implements StepType<SyncStep.Config> {
  private final SyncStep sync;

  SyncUploadStep(SyncStep sync) {
    this.sync = sync;
  }

  @Override
  public String name() {
    return "sync.upload";
  }

  @Override
  public Set<String> outputs() {
    return Set.of("files", "bytes_sent", "files_sent", "manifest_sha256");
  }

  @Override
  public SyncStep.Config configure(ConfigureContext ctx) {
    return sync.configure(ctx);
  }

  @Override
  public StepResult execute(SyncStep.Config config, StepContext ctx) throws Exception {
    long started = System.nanoTime();
    ctx.target().prepareStage(); // the target gets ready while the workdir is hashed
    LocalTree tree = LocalTree.scan(config.exclude(), config.include(), ctx);
    ctx.progress(tree.summary(started));
    SyncResult sent =
        ctx.target().stage(new SyncRequest(tree.root(), tree.files(), List.of(), ctx::progress));
    ctx.log()
        .line(
            String.format(
                "uploaded %d files (%.1f MB) ahead of the machine, %d already there",
                sent.filesSent(), sent.bytesSent() / 1e6, tree.files().size() - sent.filesSent()));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("files", Integer.toString(tree.files().size()));
    out.put("bytes_sent", Long.toString(sent.bytesSent()));
    out.put("files_sent", Integer.toString(sent.filesSent()));
    out.put("manifest_sha256", tree.sha256());
    return new StepResult(out, Optional.empty());
  }
}
