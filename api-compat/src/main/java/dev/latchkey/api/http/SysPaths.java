package dev.latchkey.api.http;

import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.engine.framework.EngineException;

import java.util.Map;
import java.util.Set;

/**
 * The {@code sys/} paths the HTTP layer answers itself, before the mount table and without a
 * token, as Vault's {@code http/sys_*.go} handlers do: they report and change the seal, so they
 * must answer even when nothing behind the barrier can. Each answers bare JSON, not the envelope.
 */
final class SysPaths {
    /** One path's handler; without a body it runs on the event loop, so none may block. */
    @FunctionalInterface
    interface Handler {
        Reply answer(String method, Map<String, Object> query, byte[] body);
    }

    private final Map<String, Handler> handlers;

    SysPaths(SystemInfo info, BodyParser parser) {
        SysSeal seal = new SysSeal(info, parser);
        this.handlers = Map.of(
                "sys/health", new SysHealth(info)::answer,
                "sys/seal-status", seal::status,
                "sys/unseal", seal::unseal,
                "sys/init", new SysInit(parser)::answer,
                "sys/leader", new SysLeader()::answer);
    }

    Set<String> paths() {
        return handlers.keySet();
    }

    Reply answer(RequestDecoder.Direct request, byte[] body) {
        try {
            return handlers.get(request.path()).answer(request.method(), request.query(), body);
        } catch (EngineException e) {
            return Renderer.error(e);
        }
    }

    static Reply json(Map<String, Object> body) {
        return new Reply(200, Renderer.JSON, Json.write(body));
    }

    static Reply methodNotAllowed() {
        return Renderer.error(405, "unsupported operation");
    }
}
