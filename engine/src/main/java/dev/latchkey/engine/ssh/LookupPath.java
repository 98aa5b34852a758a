package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.net.CidrList;
import dev.latchkey.engine.net.IpAddress;
import dev.latchkey.engine.ssh.role.RoleStore;
import dev.latchkey.engine.ssh.role.SshRole;
import dev.latchkey.engine.storage.CorruptRecordException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/** {@code lookup}: the roles that admit an IP, honouring exclusions. */
final class LookupPath {
    private final RoleStore roles;
    private final ZeroAddressStore zeroAddress;

    LookupPath(RoleStore roles, ZeroAddressStore zeroAddress) {
        this.roles = roles;
        this.zeroAddress = zeroAddress;
    }

    PathSpec spec() {
        return PathSpec.path("lookup")
                .field("ip", FieldType.STRING)
                .on(Operation.UPDATE, this::lookup);
    }

    private Response lookup(Request request, Fields f) {
        String ipText = f.string("ip");
        if (ipText.isEmpty()) {
            throw EngineException.user("Missing ip");
        }
        IpAddress ip = IpAddress.parse(ipText)
                .orElseThrow(() -> EngineException.user("Invalid IP " + GoFormat.q(ipText)));
        LinkedHashSet<String> matched = new LinkedHashSet<>();
        for (String name : roles.names()) {
            Optional<SshRole> role;
            try {
                role = roles.get(name);
            } catch (CorruptRecordException unreadable) {
                continue;
            }
            if (role.isPresent() && admits(role.get(), ip)) {
                matched.add(name);
            }
        }
        zeroAddress.get().ifPresent(matched::addAll);
        Map<String, Object> data = new HashMap<>();
        data.put("roles", matched.isEmpty() ? null : new ArrayList<>(matched));
        return Response.of(data);
    }

    private static boolean admits(SshRole role, IpAddress ip) {
        String allow = role.cidrList();
        if (allow.isBlank() || !CidrList.anyContainsLenient(allow, ip)) {
            return false;
        }
        return role.excludeCidrList().isBlank() || !CidrList.anyContainsLenient(role.excludeCidrList(), ip);
    }
}
