package dev.runctl.engine.spi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A backend: {@code local}, {@code aws}. */
public interface TargetProvider {
  String name();

  /**
   * The schema of the {@code target:} mapping (without {@code provider}, which the engine adds) and
   * the hints for its keys, composed into the job schema (see {@link SettingsSchema}); by default
   * any mapping. Answered without loading the provider's heavy classes.
   */
  default SettingsSchema settings() {
    return SettingsSchema.OPEN;
  }

  /**
   * Parses and checks the {@code target:} mapping (through {@link SettingsReader}), reporting every
   * problem; no network calls.
   */
  TargetConfig configure(TargetSettings spec, Diagnostics diagnostics);

  Target open(TargetConfig config, TargetContext context);

  /**
   * Whether this target's commands run on the machine runctl runs on, sharing its cores: runs
   * started side by side (a sweep's children) then divide the parallelism given to runctl among
   * them instead of each taking all of it. By default a target has machines of its own.
   */
  default boolean runsOnThisMachine() {
    return false;
  }

  /**
   * Read-only checks against the real target for {@code runctl plan --check} (the host answers, the
   * credentials work, the bucket is there), each ok or with a fix; creates and writes nothing. A
   * check that cannot be made is reported as failed, not thrown. The default has none.
   */
  default List<TargetCheck> check(TargetConfig config, String jobName) throws InterruptedException {
    return List.of();
  }

  /**
   * Whether this target fetches {@code ref} on its machine itself, through the machine's own
   * identity (aws: an instance role reading Secrets Manager), so that the value never passes
   * through runctl: the engine then reads nothing and hands the target the reference ({@link
   * RunSecrets#onMachine}), and the target masks the value in the output it keeps. By default every
   * secret is read where runctl runs.
   */
  default boolean fetchesOnMachine(SecretRef ref) {
    return false;
  }

  /**
   * {@code runctl plan --check} for the secrets this target fetches on its machine ({@code
   * fetched}, each one that {@link #fetchesOnMachine} accepts): one check each, that it exists (and
   * what of it can be seen from here), never printing a value. The others are checked by their
   * {@link SecretSource#check}. The default has nothing to check, as it fetches none.
   */
  default List<TargetCheck> checkSecrets(TargetConfig config, List<SecretRef> fetched)
      throws InterruptedException {
    return List.of();
  }

  /**
   * What each of {@code runs} still has alive, by run id: asked by {@code runctl runs} and {@code
   * status} about runs that no runctl process holds, so it must not change them. The default opens
   * each run's target and asks {@link Target#liveResources}; a run whose target fails to answer is
   * {@link Liveness.Unknown}. A provider that can answer many runs with one request (aws: one
   * DescribeInstances per region) overrides it. {@code timeout} bounds each request to a backend;
   * the caller stops waiting after about that long.
   */
  default Map<String, Liveness> liveResources(List<TargetRun> runs, Duration timeout)
      throws InterruptedException {
    Map<String, Liveness> out = new LinkedHashMap<>();
    for (TargetRun run : runs) {
      Liveness answer;
      try (Target target = open(run.config(), run.context())) {
        answer = new Liveness.Known(target.liveResources());
      } catch (RuntimeException e) {
        answer = Liveness.failed(e);
      }
      out.put(run.context().runId(), answer);
    }
    return out;
  }
}
