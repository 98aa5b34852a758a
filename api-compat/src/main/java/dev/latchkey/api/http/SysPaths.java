package dev.latchkey.api.http;

import dev.latchkey.api.core.Dispatcher;
import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.api.seal.SealCore;
import dev.latchkey.api.seal.SealException;
import dev.latchkey.engine.framework.EngineException;

import java.util.Map;
import java.util.Set;

/**
 * The {@code sys/} paths the HTTP layer answers itself, before the mount table, as Vault's
 * {@code http/sys_*.go} handlers do: they report and change the seal, so they answer whether the
 * node is sealed or not (every other path is {@code 503 Vault is sealed} then). Each answers bare
 * JSON, not the envelope.
 */
final class SysPaths {
    /** One path's handler; reads (GET, HEAD) run on the event loop, so none of those may block. */
    @FunctionalInterface
    interface Handler {
        Reply answer(String method, Map<String, Object> query, byte[] body, String token);
    }

    /** Paths whose writes need a token: a worker of the authenticated pool runs them. */
    private static final Set<String> AUTHENTICATED = Set.of("sys/seal", "sys/step-down");

    private final Map<String, Handler> handlers;

    SysPaths(SystemInfo info, BodyParser parser, SealCore core, Dispatcher dispatcher) {
        SysSeal seal = new SysSeal(info, parser, core, dispatcher);
        this.handlers = Map.of(
                "sys/health", new SysHealth(info, core)::answer,
                "sys/seal-status", seal::status,
                "sys/unseal", seal::unseal,
                "sys/seal", seal::seal,
                "sys/step-down", seal::stepDown,
                "sys/init", new SysInit(parser, core)::answer,
                "sys/leader", new SysLeader(info, core)::answer);
    }

    Set<String> paths() {
        return handlers.keySet();
    }

    /** Whether answering may block (it writes: init, unseal, seal): if so, a worker answers. */
    static boolean blocks(RequestDecoder.Direct request) {
        return !request.method().equals("GET") && !request.method().equals("HEAD");
    }

    static boolean needsToken(RequestDecoder.Direct request) {
        return AUTHENTICATED.contains(request.path());
    }

    Reply answer(RequestDecoder.Direct request, byte[] body, String token) {
        try {
            return handlers.get(request.path()).answer(request.method(), request.query(), body, token);
        } catch (EngineException e) {
            return Renderer.error(e);
        } catch (SealException e) {
            return Renderer.error(e.status(), e.getMessage());
        }
    }

    static Reply json(Map<String, Object> body) {
        return new Reply(200, Renderer.JSON, Json.write(body));
    }

    static Reply methodNotAllowed() {
        return Renderer.error(405, "unsupported operation");
    }
}
