package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.ssh.role.RoleStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code config/zeroaddress}: roles that admit any IP address. */
final class ZeroAddressPath {
    private final RoleStore roles;
    private final ZeroAddressStore zeroAddress;

    ZeroAddressPath(RoleStore roles, ZeroAddressStore zeroAddress) {
        this.roles = roles;
        this.zeroAddress = zeroAddress;
    }

    PathSpec spec() {
        return PathSpec.path("config/zeroaddress")
                .field("roles", FieldType.COMMA_STRING_SLICE)
                .on(Operation.UPDATE, this::write)
                .on(Operation.READ, this::read)
                .on(Operation.DELETE, this::delete);
    }

    private Response write(Request request, Fields f) {
        List<String> names = f.strings("roles");
        if (names.isEmpty()) {
            throw EngineException.user("Missing roles");
        }
        for (String name : names) {
            if (!roles.exists(name)) {
                throw EngineException.user("Role " + GoFormat.q(name) + " does not exist");
            }
        }
        zeroAddress.put(names);
        return Response.empty();
    }

    private Response read(Request request, Fields f) {
        return zeroAddress.get().map(list -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("roles", list);
            return Response.of(data);
        }).orElse(Response.empty());
    }

    private Response delete(Request request, Fields f) {
        zeroAddress.delete();
        return Response.empty();
    }
}
