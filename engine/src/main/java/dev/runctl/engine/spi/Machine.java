package dev.runctl.engine.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A machine that steps run on, reached only through this interface. Paths are relative to the
 * machine's workdir (where sync puts the job's files) unless absolute. Methods that talk to a
 * remote machine throw {@link StepException} classified as {@link ErrorClass#ERROR} for transient
 * trouble and {@link ErrorClass#INTERRUPTION} when the machine went away.
 */
public interface Machine {

  /** Stable id: the instance id, or the local workspace's name. */
  String id();

  /** The absolute path of the workdir on the machine. */
  String workdir();

  /**
   * A folder on the machine for caches that outlive one run (virtual environments keyed by the hash
   * of their requirements). The default is a hidden folder next to the workdir's content.
   */
  default String cacheDir() {
    return workdir() + "/.runctl-cache";
  }

  /**
   * The store this machine shares with the run's other machines and later runs' (see {@link
   * SharedStore}); empty (the default) when it has none.
   */
  default Optional<SharedStore> sharedStore() {
    return Optional.empty();
  }

  /** Provision's outputs for this machine: machine_id, and host, instance_id, price_per_hour. */
  Map<String, String> describe();

  Health health();

  SyncResult sync(SyncRequest request) throws InterruptedException;

  /**
   * Runs a command to its end, its output streamed into {@code log}. Interrupting the calling
   * thread kills the command's process tree and rethrows {@link InterruptedException}.
   */
  ExecResult exec(CommandSpec command, StepLog log) throws InterruptedException;

  /**
   * Starts a process that survives runctl, under {@link DetachedSpec#name()}. The contract every
   * target keeps, so that runctl killed at any instant (kill -9 included) never leads to two
   * processes of one name:
   *
   * <ul>
   *   <li>The name is the caller's and is all the identity the process needs: a step makes it
   *       deterministic (the train step uses {@code train-<step-id>}, the same for every attempt
   *       and every resume of the run) and journals it ({@link Facts#put}, durable) <em>before</em>
   *       it calls this. The target adds nothing random or per-call to it (no attempt number, no
   *       time, no uuid); its scope is the run on this machine.
   *   <li>The start is refused while a process of that name is alive <em>or still being
   *       started</em> (its start began, by this runctl or by one that died, and has not yet
   *       recorded the process): the target marks the start on the machine before it launches the
   *       process, in a way it can find again ({@link #attachByName}).
   *   <li>The returned handle goes into the facts after this returns; a runctl killed in between
   *       finds the process with {@link #attachByName}, not by its handle.
   * </ul>
   */
  DetachedProcess start(DetachedSpec spec) throws InterruptedException;

  /**
   * Finds a process started earlier (maybe by a runctl that has since died) by its handle; empty
   * when it is not on this machine (a machine made again has none of the old one's processes).
   */
  Optional<DetachedProcess> attach(String handle) throws InterruptedException;

  /**
   * Finds the process last started under {@code name} on this machine, running or ended, without
   * its handle: what a step calls on re-entry when it journaled the name but not the handle (runctl
   * died inside {@link #start}, or between its return and the handle's journaling). A start that is
   * still under way (by a runctl that died) is waited for, so that the answer is either that
   * process or a certain "never started here". Empty when no process of that name was started on
   * this machine.
   */
  Optional<DetachedProcess> attachByName(String name) throws InterruptedException;

  /**
   * Files under {@code path} (a folder, recursively, or one file); empty when it does not exist.
   */
  List<RemoteFile> list(String path) throws InterruptedException;

  /** The content of a file, at most {@code maxBytes}; empty when it does not exist. */
  default Optional<byte[]> read(String path, long maxBytes) throws InterruptedException {
    return read(path, 0, maxBytes).map(FileSlice::bytes);
  }

  /**
   * At most {@code maxBytes} of a file from byte {@code fromByte} on, without reading what comes
   * before it (so that following a growing file costs what it grows by), and the file's size; empty
   * when it does not exist. The bytes stop at the size seen, so {@link FileSlice#end()} is at most
   * {@link FileSlice#size()}; an offset past the end answers no bytes and a size below it.
   */
  Optional<FileSlice> read(String path, long fromByte, long maxBytes) throws InterruptedException;

  /**
   * Removes the file at {@code path}, quietly when it is not there. The default runs {@code rm -f}
   * on the machine; a machine that can remove it without starting a process overrides this.
   */
  default void delete(String path, StepLog log) throws InterruptedException {
    exec(CommandSpec.of(List.of("rm", "-f", "--", path), Map.of()), log);
  }

  /** Copies a file or folder from the machine into {@code localDestination} (a folder). */
  void fetch(String path, Path localDestination) throws InterruptedException;
}
