package io.logrouter.http;

import io.undertow.predicate.Predicate;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import java.util.Set;
import java.util.TreeSet;

/**
 * The router's routes, remembering every path template registered: the fixed set the requests
 * metric may use as route labels. Registration happens at start-up only.
 */
final class RouteTable extends RoutingHandler {
  private final Set<String> templates = new TreeSet<>();

  @Override
  public synchronized RoutingHandler add(HttpString method, String template, HttpHandler handler) {
    templates.add(template);
    return super.add(method, template, handler);
  }

  @Override
  public synchronized RoutingHandler add(HttpString method, String template, Predicate predicate, HttpHandler handler) {
    templates.add(template);
    return super.add(method, template, predicate, handler);
  }

  synchronized Set<String> templates() {
    return Set.copyOf(templates);
  }
}
