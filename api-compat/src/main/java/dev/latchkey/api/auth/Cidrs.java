package dev.latchkey.api.auth;

import dev.latchkey.engine.net.Cidr;
import dev.latchkey.engine.net.IpAddress;

import java.util.List;

/** Address checks of login methods: a bare address in a list is its own /32 (or /128). */
final class Cidrs {
    private Cidrs() {
    }

    static boolean contain(List<String> cidrs, String address) {
        IpAddress ip = address == null ? null : IpAddress.parse(address).orElse(null);
        if (ip == null) {
            return false;
        }
        for (String c : cidrs) {
            try {
                if (Cidr.parse(c.contains("/") ? c : c + (c.contains(":") ? "/128" : "/32")).contains(ip)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // a stored entry that no longer parses matches nothing
            }
        }
        return false;
    }
}
