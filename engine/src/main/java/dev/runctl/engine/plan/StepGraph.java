package dev.runctl.engine.plan;

import dev.runctl.engine.spec.StepSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * The steps as a graph with an edge from each needed step to the step that needs it. Gives cycles
 * as readable step lists, a topological order that is the same every time (ties broken by the order
 * of the spec), waves, and what runs upstream of a step. JGraphT stays inside this class.
 */
final class StepGraph {
  private final Graph<String, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);
  private final Map<String, Integer> specIndex = new HashMap<>();
  private final Comparator<String> bySpecOrder = Comparator.comparingInt(specIndex::get);

  StepGraph(List<StepSpec> steps) {
    for (StepSpec s : steps) {
      if (specIndex.putIfAbsent(s.id(), specIndex.size()) == null) {
        graph.addVertex(s.id());
      }
    }
    for (StepSpec s : steps) {
      for (String need : s.needs()) {
        if (graph.containsVertex(need)) {
          graph.addEdge(need, s.id());
        }
      }
    }
  }

  /**
   * One cycle per group of steps that wait on each other, each starting and ending at its earliest
   * step in spec order and following the direction work flows: {@code [train, verify, train]}.
   */
  List<List<String>> cycles() {
    List<List<String>> cycles = new ArrayList<>();
    for (Set<String> component :
        new KosarajuStrongConnectivityInspector<>(graph).stronglyConnectedSets()) {
      String start = component.stream().min(bySpecOrder).orElseThrow();
      if (component.size() > 1 || graph.containsEdge(start, start)) {
        cycles.add(shortestCycle(start, component));
      }
    }
    cycles.sort(Comparator.comparing(c -> specIndex.get(c.get(0))));
    return cycles;
  }

  /** Breadth-first from {@code start} back to it inside its component. */
  private List<String> shortestCycle(String start, Set<String> component) {
    Map<String, String> cameFrom = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      String v = queue.poll();
      List<String> next = successors(v);
      for (String w : next) {
        if (w.equals(start)) {
          List<String> path = new ArrayList<>();
          for (String at = v; at != null; at = cameFrom.get(at)) {
            path.add(0, at);
          }
          path.add(start);
          return path;
        }
        if (component.contains(w) && !cameFrom.containsKey(w) && !w.equals(start)) {
          cameFrom.put(w, v);
          queue.add(w);
        }
      }
    }
    return List.of(start, start);
  }

  private List<String> successors(String v) {
    return graph.outgoingEdgesOf(v).stream().map(graph::getEdgeTarget).sorted(bySpecOrder).toList();
  }

  /** Every step in an order where needed steps come first; only valid without cycles. */
  List<String> topologicalOrder() {
    List<String> order = new ArrayList<>();
    new TopologicalOrderIterator<>(graph, bySpecOrder).forEachRemaining(order::add);
    return order;
  }

  /** The wave of each step: 0 without needs, else one more than its latest need's. */
  Map<String, Integer> waves(List<String> order) {
    Map<String, Integer> waves = new HashMap<>();
    for (String id : order) {
      int wave = 0;
      for (DefaultEdge e : graph.incomingEdgesOf(id)) {
        wave = Math.max(wave, waves.get(graph.getEdgeSource(e)) + 1);
      }
      waves.put(id, wave);
    }
    return waves;
  }

  /** Every step that must have ended before {@code id} starts. */
  Set<String> upstream(String id) {
    Set<String> seen = new LinkedHashSet<>();
    if (!graph.containsVertex(id)) {
      return seen;
    }
    Deque<String> todo = new ArrayDeque<>(List.of(id));
    while (!todo.isEmpty()) {
      for (DefaultEdge e : graph.incomingEdgesOf(todo.poll())) {
        String source = graph.getEdgeSource(e);
        if (seen.add(source)) {
          todo.add(source);
        }
      }
    }
    return seen;
  }
}
