package dev.runctl.engine.mirror;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * New bytes of several append-only files (step logs, metrics) in one object, so that a pass of the
 * shipper costs one write however many logs grew. A text header, then the bytes in its order:
 *
 * <pre>
 * runctl-pack 1
 * &lt;offset&gt; &lt;length&gt; &lt;path relative to the run folder&gt;
 * ...
 * (empty line)
 * &lt;bytes&gt;
 * </pre>
 *
 * An entry at offset 0 of a file that held more starts it over (a file that was rewritten).
 */
record Pack(List<Entry> entries) {
  private static final String MAGIC = "runctl-pack 1";

  record Entry(String path, long offset, byte[] data) {}

  Pack {
    entries = List.copyOf(entries);
  }

  byte[] encode() {
    StringBuilder header = new StringBuilder(MAGIC).append('\n');
    for (Entry e : entries) {
      header.append(e.offset()).append(' ').append(e.data().length).append(' ');
      header.append(e.path()).append('\n');
    }
    header.append('\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
    entries.forEach(e -> out.writeBytes(e.data()));
    return out.toByteArray();
  }

  /** The pack in {@code bytes}; an {@link IllegalArgumentException} names what is wrong. */
  static Pack decode(byte[] bytes) {
    int pos = 0;
    List<String> lines = new ArrayList<>();
    while (true) {
      int nl = indexOf(bytes, pos);
      if (nl < 0) {
        throw new IllegalArgumentException("the pack's header does not end");
      }
      String line = new String(bytes, pos, nl - pos, StandardCharsets.UTF_8);
      pos = nl + 1;
      if (line.isEmpty()) {
        break;
      }
      lines.add(line);
    }
    if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
      throw new IllegalArgumentException("not a runctl pack");
    }
    List<Entry> entries = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] p = l.split(" ", 3);
      if (p.length != 3) {
        throw new IllegalArgumentException("a broken pack entry: " + l);
      }
      long offset = Long.parseLong(p[0]);
      int length = Integer.parseInt(p[1]);
      if (pos + length > bytes.length || length < 0 || offset < 0) {
        throw new IllegalArgumentException("the pack ends inside " + p[2]);
      }
      byte[] data = java.util.Arrays.copyOfRange(bytes, pos, pos + length);
      pos += length;
      entries.add(new Entry(p[2], offset, data));
    }
    return new Pack(entries);
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
