package dev.latchkey.api.sys;

import dev.latchkey.api.acl.PolicyStore;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sys/policies/acl} and the older {@code sys/policy}: list, read, write and delete ACL
 * policies. The older paths answer with {@code rules} where the newer ones say {@code policy},
 * take the deprecated {@code rules} field on writes (Spring Vault sends it), and repeat their data
 * at the top level of the envelope, as Vault does for them. Relative to the {@code sys/} mount.
 */
final class PoliciesPath {
    private final PolicyStore policies;

    PoliciesPath(PolicyStore policies) {
        this.policies = policies;
    }

    List<PathSpec> specs() {
        return List.of(
                PathSpec.path("policies/acl/?").on(Operation.LIST, (r, f) -> list(false)),
                PathSpec.path("policies/acl/(?<name>.+)").capture("name", "name").field("policy", FieldType.STRING)
                        .on(Operation.READ, (r, f) -> read(f, "policy", false))
                        .on(Operation.UPDATE, (r, f) -> write(f, false))
                        .on(Operation.DELETE, this::delete),
                PathSpec.path("policy/?").on(Operation.READ, (r, f) -> list(true)).on(Operation.LIST, (r, f) -> list(true)),
                PathSpec.path("policy/(?<name>.+)").capture("name", "name").field("policy", FieldType.STRING)
                        .field("rules", FieldType.STRING)
                        .on(Operation.READ, (r, f) -> read(f, "rules", true))
                        .on(Operation.UPDATE, (r, f) -> write(f, true))
                        .on(Operation.DELETE, this::delete));
    }

    /** The stored names, then {@code root}, as Vault lists them. */
    private Response list(boolean legacy) {
        List<String> names = new ArrayList<>(policies.names());
        names.add("root");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keys", names);
        if (legacy) {
            data.put("policies", names);
            return Response.of(data).withDataAtTopLevel();
        }
        return Response.of(data);
    }

    private Response read(Fields f, String field, boolean legacy) {
        String name = name(f);
        String text;
        if (name.equals("root")) {
            text = "";
        } else {
            var stored = policies.text(name);
            if (stored.isEmpty()) {
                return Response.empty();
            }
            text = stored.get();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name);
        data.put(field, text);
        Response r = Response.of(data);
        return legacy ? r.withDataAtTopLevel() : r;
    }

    private Response write(Fields f, boolean legacy) {
        String written = f.string("name").strip();
        String name = written.toLowerCase(Locale.ROOT);
        String text = f.string("policy");
        List<String> warnings = new ArrayList<>();
        if (legacy && text.isEmpty() && !f.string("rules").isEmpty()) {
            text = f.string("rules");
            warnings.add("'rules' is deprecated, please use 'policy' instead");
        }
        if (text.isEmpty()) {
            throw EngineException.user("'policy' parameter not supplied or empty");
        }
        policies.write(name, text);
        if (!name.equals(written)) {
            warnings.add("policy name was converted to " + name);
        }
        if (warnings.isEmpty()) {
            return Response.empty();
        }
        Response r = Response.envelopeOnly();
        warnings.forEach(r::withWarning);
        return r;
    }

    private Response delete(Request r, Fields f) {
        policies.delete(name(f));
        return Response.empty();
    }

    private static String name(Fields f) {
        return f.string("name").strip().toLowerCase(Locale.ROOT);
    }
}
