package dev.runctl.engine.spi;

import dev.runctl.engine.RunctlException;
import java.util.List;

/**
 * What a target tells about a run that no runctl process holds: which of its resources are still
 * alive (a machine, a process, a workspace), or why it cannot tell ({@code runctl runs}, {@code
 * runctl status}).
 */
public sealed interface Liveness permits Liveness.Known, Liveness.Unknown {

  /**
   * The target answered; {@code resources} describe what is alive, empty when nothing is; {@code
   * notes} what happened to the run's resources without runctl ("the instance terminated itself at
   * 14:02: ...").
   */
  record Known(List<String> resources, List<String> notes) implements Liveness {
    public Known {
      resources = List.copyOf(resources);
      notes = List.copyOf(notes);
    }

    public Known(List<String> resources) {
      this(resources, List.of());
    }
  }

  /** The target could not be asked (no credentials, no network, no answer in time): why. */
  record Unknown(String cause) implements Liveness {}

  /** An {@link Unknown} from a failure: its message and, for a runctl error, its hint. */
  static Unknown failed(RuntimeException e) {
    String message = RunctlException.reasonOf(e);
    if (e instanceof RunctlException r && r.hint().isPresent()) {
      message += "; " + r.hint().get();
    }
    return new Unknown(message.replace('\n', ' '));
  }
}
