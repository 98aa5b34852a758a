package dev.latchkey.engine.framework;

/** Serves one operation on one path. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request, Fields fields);
}
