package dev.runctl.engine.exec;

import dev.runctl.engine.plan.Expressions;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.spi.Facts;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.state.Journal;
import dev.runctl.engine.state.JournalRecord;
import dev.runctl.engine.state.RunFolder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** What every step of one run process shares: ids, journal, events, outputs, target, clock. */
final class RunScope {
  final Plan plan;
  final RunFolder folder;
  final Journal journal;
  final RunClock clock;
  final SecretMasker masker;
  final Map<String, String> processEnv;
  final Path cacheDir;
  final Map<String, Map<String, String>> outputs = new ConcurrentHashMap<>();
  final AtomicBoolean failed = new AtomicBoolean();
  final AtomicBoolean stopped = new AtomicBoolean();
  final java.util.List<String> requiredPaths;
  final java.util.List<String> namedPaths;

  /** The secrets' values by variable name; in memory only. */
  final Map<String, String> secrets = new java.util.LinkedHashMap<>();

  /** The secrets the target fetches on its machine: runctl never holds their values. */
  final java.util.List<dev.runctl.engine.spi.SecretRef> onMachine = new java.util.ArrayList<>();

  private final RunListener listener;
  Target target;
  Facts facts;

  RunScope(
      Plan plan,
      RunFolder folder,
      Journal journal,
      RunClock clock,
      RunListener listener,
      Map<String, String> processEnv,
      Path cacheDir) {
    this.plan = plan;
    this.folder = folder;
    this.journal = journal;
    this.clock = clock;
    this.listener = listener;
    this.processEnv = Map.copyOf(processEnv);
    this.cacheDir = cacheDir;
    this.masker = new SecretMasker();
    // Every value the spec references is a secret from the start, not only once a step resolves
    // it: an earlier step may print or output the same value (a variable it inherits).
    for (String name : Expressions.environmentNames(plan.job().source())) {
      masker.add(this.processEnv.get(name));
    }
    this.requiredPaths = plan.requiredPaths();
    this.namedPaths = plan.namedPaths();
  }

  String runId() {
    return folder.runId();
  }

  /**
   * Reads the spec's secrets, once per run process, and masks them from here on. The values stay in
   * this object: steps get them as environment variables, nothing writes them. A secret the target
   * fetches on its machine is not read: the target gets its reference ({@link #targetSecrets}).
   */
  void readSecrets(SecretReader reader) {
    for (dev.runctl.engine.spi.SecretRef ref : plan.job().secrets()) {
      if (plan.targetProvider().fetchesOnMachine(ref)) {
        onMachine.add(ref);
        continue;
      }
      String value = reader.read(ref);
      masker.add(value);
      secrets.put(ref.name(), value);
    }
  }

  /**
   * What the target delivers to its machine's commands, and the values it keeps off its disks and
   * buckets: the masked ones, secrets and the environment's values the spec reads alike.
   */
  dev.runctl.engine.spi.RunSecrets targetSecrets() {
    return new dev.runctl.engine.spi.RunSecrets(secrets, onMachine, masker.values());
  }

  /**
   * Events reach the listener one at a time, in order, with secrets masked: a step's outputs stay
   * whole for the steps that read them, but what the listener prints (text, JSON) shows {@code
   * ***}.
   */
  synchronized void emit(RunEvent event) {
    listener.onEvent(masked(event));
  }

  private RunEvent masked(RunEvent event) {
    if (event instanceof RunEvent.StepEnded s && !masker.isEmpty() && !s.outputs().isEmpty()) {
      Map<String, String> outputs = new java.util.LinkedHashMap<>();
      s.outputs().forEach((k, v) -> outputs.put(k, masker.mask(v)));
      return new RunEvent.StepEnded(
          s.runId(),
          s.at(),
          s.step(),
          s.status(),
          s.attempts(),
          s.elapsed(),
          outputs,
          masker.mask(s.message()));
    }
    return event;
  }

  void warn(Optional<String> step, String message) {
    String text = masker.mask(message);
    journal.append(new JournalRecord.Warning(clock.now(), step, text));
    emit(new RunEvent.Warning(runId(), clock.now(), step, text));
  }

  /** A warning outside a run's execution ({@code runctl destroy}): journaled, then shown. */
  static void warn(
      Journal journal, RunListener listener, RunClock clock, String runId, String text) {
    journal.append(new JournalRecord.Warning(clock.now(), Optional.empty(), text));
    listener.onEvent(new RunEvent.Warning(runId, clock.now(), Optional.empty(), text));
  }

  /** The value of a {@code ${{ }}} reference now; env values become secrets to mask. */
  Optional<String> lookup(Expressions.Ref ref) {
    if (ref instanceof Expressions.StepOutput o) {
      return Optional.ofNullable(outputs.get(o.stepId())).map(m -> m.get(o.key()));
    }
    if (ref instanceof Expressions.RunId) {
      return Optional.of(runId());
    }
    if (ref instanceof Expressions.Env e) {
      String v = processEnv.get(e.name());
      if (v != null) {
        masker.add(v);
      }
      return Optional.ofNullable(v);
    }
    if (ref instanceof Expressions.Matrix m) {
      // a name only some include: entries add is empty in the others, as in GitHub Actions
      return plan.job().combination().isEmpty()
          ? Optional.empty()
          : Optional.of(plan.job().combination().getOrDefault(m.name(), ""));
    }
    return Optional.empty();
  }
}
