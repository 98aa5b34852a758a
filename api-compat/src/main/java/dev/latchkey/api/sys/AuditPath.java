package dev.latchkey.api.sys;

import dev.latchkey.api.audit.AuditLog;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sys/audit} (list, enable, disable audit devices; all need {@code sudo}, as in Vault) and
 * {@code sys/audit-hash/<path>} (a value as that device writes it; no sudo). Relative to the
 * {@code sys/} mount.
 */
final class AuditPath {
    private final AuditLog audit;

    AuditPath(AuditLog audit) {
        this.audit = audit;
    }

    List<PathSpec> specs() {
        return List.of(
                PathSpec.path("audit/?").sudo().on(Operation.READ, this::list),
                PathSpec.path("audit/(?<path>.+)").capture("path", "path").sudo()
                        .field("type", FieldType.STRING).field("description", FieldType.STRING)
                        .field("options", FieldType.STRING_MAP).field("local", FieldType.BOOL)
                        .on(Operation.UPDATE, this::enable).on(Operation.DELETE, this::disable),
                PathSpec.path("audit-hash/(?<path>.+)").capture("path", "path").field("input", FieldType.STRING)
                        .on(Operation.UPDATE, this::hash));
    }

    private static String path(Fields f) {
        return MountsPath.normalise(f.string("path"));
    }

    private Response list(Request r, Fields f) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (AuditLog.Entry e : audit.entries()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("type", e.type());
            d.put("description", e.description());
            d.put("options", e.options());
            d.put("local", e.local());
            d.put("path", e.path());
            data.put(e.path(), d);
        }
        return Response.of(data).withDataAtTopLevel();
    }

    private Response enable(Request r, Fields f) {
        audit.enable(path(f), f.string("type"), f.string("description"), f.stringMap("options"), f.bool("local"));
        return Response.empty();
    }

    private Response disable(Request r, Fields f) {
        audit.disable(path(f));
        return Response.empty();
    }

    private Response hash(Request r, Fields f) {
        if (f.string("input").isEmpty()) {
            throw EngineException.user("the \"input\" parameter is empty");
        }
        return Response.of(Map.of("hash", audit.hash(path(f), f.string("input")))).withDataAtTopLevel();
    }
}
