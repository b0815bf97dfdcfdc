package dev.runctl.engine.testing.model;

import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The world outside runctl, for resume's model-based test: machines that provision makes and
 * teardown gives back, their files, detached training processes that outlive runctl, and a {@code
 * kept} area where a teardown that keeps progress puts a machine's checkpoints (as the local target
 * does under {@code <run-dir>/kept/}) and the next machine gets them back.
 *
 * <p>Each runctl process sees the world through a {@link ModelTarget} of its own, numbered. Every
 * change to the world is an action; at action {@code k} (before or after its effect) the world can
 * kill the process that acts: the journal file is copied at that instant (what a kill -9 leaves on
 * disk) and every later call of that process blocks until interrupted, changing nothing.
 */
public final class ModelWorld {
  /** A detached training process: runs for some polls, then writes checkpoints and exits 0. */
  static final class Proc {
    final String machine;
    final String name;
    int pollsLeft = 2;
    int exit = -1;

    Proc(String machine, String name) {
      this.machine = machine;
      this.name = name;
    }
  }

  /** What a step saw: started, succeeded or failed, in the process numbered {@code process}. */
  public record Event(int process, String step, String what) {}

  private final Object lock = new Object();
  private final Map<String, Map<String, String>> machines = new TreeMap<>();
  private final Map<String, String> kept = new TreeMap<>();
  private final Map<String, Proc> procs = new LinkedHashMap<>();
  private final Set<String> failOnce = new HashSet<>();
  private final List<Event> events = new ArrayList<>();
  private final Map<String, Integer> started = new HashMap<>();
  private int processes;
  private int made;
  private int actions;
  private int killAt = -1;
  private boolean killAfter;
  private int dead = -1;
  private byte[] journalAtKill;
  private CountDownLatch killed = new CountDownLatch(1);

  /** A new runctl process's number. */
  int newProcess() {
    synchronized (lock) {
      return ++processes;
    }
  }

  /** The process currently numbered highest (the last apply or resume). */
  public int lastProcess() {
    synchronized (lock) {
      return processes;
    }
  }

  /** The step with this id fails (a classified failure) at its next attempt, once. */
  public void failOnce(String stepId) {
    synchronized (lock) {
      failOnce.add(stepId);
    }
  }

  /** Whether a failure set with {@link #failOnce} has not happened yet. */
  public boolean failurePending() {
    synchronized (lock) {
      return !failOnce.isEmpty();
    }
  }

  boolean takeFailure(String stepId) {
    synchronized (lock) {
      return failOnce.remove(stepId);
    }
  }

  /** Kills the acting process at action {@code k} (1-based), before or after its effect. */
  public void killAt(int k, boolean after) {
    synchronized (lock) {
      killAt = actions + k;
      killAfter = after;
      killed = new CountDownLatch(1);
    }
  }

  /** The latch that opens when the kill happened. */
  public CountDownLatch killed() {
    synchronized (lock) {
      return killed;
    }
  }

  /** The journal's bytes at the kill; clears the kill. */
  public byte[] journalAtKill() {
    synchronized (lock) {
      killAt = -1;
      return journalAtKill;
    }
  }

  void event(int process, String step, String what) {
    synchronized (lock) {
      events.add(new Event(process, step, what));
    }
  }

  public List<Event> events() {
    synchronized (lock) {
      return List.copyOf(events);
    }
  }

  /** How many times a process named {@code name} was started, over all machines. */
  public int starts(String name) {
    synchronized (lock) {
      return started.getOrDefault(name, 0);
    }
  }

  public int machinesMade() {
    synchronized (lock) {
      return made;
    }
  }

  /** Machines alive and processes running: what a run leaked. */
  public List<String> alive() {
    synchronized (lock) {
      List<String> out = new ArrayList<>();
      machines.keySet().forEach(m -> out.add("machine " + m));
      procs.forEach(
          (h, p) -> {
            if (p.exit < 0 && machines.containsKey(p.machine)) {
              out.add("process " + h);
            }
          });
      return out;
    }
  }

  /**
   * One action of process {@code process}: blocks for good when that process is dead, or dies here;
   * otherwise applies {@code effect} atomically. {@code runDir} is where the journal is.
   */
  <T> T act(int process, Path runDir, Supplier<T> effect) throws InterruptedException {
    synchronized (lock) {
      if (process > dead) {
        actions++;
        boolean here = actions == killAt;
        if (here && !killAfter) {
          die(process, runDir);
        } else {
          T result = effect.get();
          if (here) {
            die(process, runDir);
          } else {
            return result;
          }
        }
      }
    }
    new CountDownLatch(1).await();
    throw new IllegalStateException("unreachable");
  }

  private void die(int process, Path runDir) {
    dead = process;
    try {
      journalAtKill = Files.readAllBytes(runDir.resolve("journal.jsonl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    killed.countDown();
  }

  // ---- effects, called inside act() under the lock ----

  String makeMachine() {
    String id = "m" + ++made;
    Map<String, String> files = new TreeMap<>(kept);
    kept.clear();
    machines.put(id, files);
    return id;
  }

  boolean aliveMachine(String id) {
    return machines.containsKey(id);
  }

  /** Gives a machine back; with {@code keep}, its checkpoints go to the kept area first. */
  void release(String id, boolean keep) {
    Map<String, String> files = machines.remove(id);
    if (files != null && keep) {
      files.forEach(
          (p, v) -> {
            if (p.startsWith("checkpoints/")) {
              kept.put(p, v);
            }
          });
    }
  }

  Map<String, String> files(String machine) {
    Map<String, String> f = machines.get(machine);
    if (f == null) {
      throw StepException.failure(
          "machine " + machine + " is gone", "the step ran on a machine that was given back");
    }
    return f;
  }

  String startProc(String machine, String name) {
    files(machine);
    String handle = name + "@" + machine + "#" + (procs.size() + 1);
    procs.put(handle, new Proc(machine, name));
    started.merge(name, 1, Integer::sum);
    return handle;
  }

  /** The handle of the process last started under {@code name} on a live {@code machine}. */
  Optional<String> lastProc(String machine, String name) {
    files(machine);
    String last = null;
    for (Map.Entry<String, Proc> e : procs.entrySet()) {
      if (e.getValue().machine.equals(machine) && e.getValue().name.equals(name)) {
        last = e.getKey();
      }
    }
    return Optional.ofNullable(last);
  }

  Optional<Proc> proc(String handle) {
    return Optional.ofNullable(procs.get(handle));
  }
}
