package dev.latchkey.engine.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Comma-separated CIDR lists as roles store them. Unlike Vault, Latchkey trims every item, so
 * {@code "10.0.0.0/8, 192.168.0.0/16"} means both networks.
 */
public final class CidrList {
    /** Role lists are re-matched on every request; cache their parsed form, within bounds. */
    private static final int CACHE_ENTRIES = 16_384;
    private static final int CACHE_MAX_RAW_LENGTH = 4096;
    private static final Map<String, List<Item>> CACHE = new ConcurrentHashMap<>();

    private CidrList() {
    }

    /** One list item, with its parsed network or null when it does not parse. */
    private record Item(String text, Cidr cidr) {
    }

    /** The items of a list: split on {@code ,}, each stripped, empty ones dropped. */
    public static List<String> items(String raw) {
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String part : raw.split(",", -1)) {
            String item = part.strip();
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return Collections.unmodifiableList(items);
    }

    /**
     * Parses every item.
     *
     * @throws IllegalArgumentException {@code errorPrefix + "invalid CIDR address: " + item}
     *                                  for the first item that does not parse
     */
    public static List<Cidr> parseAll(String raw, String errorPrefix) {
        List<Cidr> out = new ArrayList<>();
        for (Item item : parsed(raw)) {
            if (item.cidr() == null) {
                throw new IllegalArgumentException(errorPrefix + "invalid CIDR address: " + item.text());
            }
            out.add(item.cidr());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Whether any item contains {@code ip}, trying items in order.
     *
     * @throws IllegalArgumentException {@code invalid CIDR entry "<item>"} for an unparsable item
     *                                  met before a match
     */
    public static boolean anyContains(String raw, IpAddress ip) {
        for (Item item : parsed(raw)) {
            if (item.cidr() == null) {
                throw new IllegalArgumentException("invalid CIDR entry \"" + item.text() + "\"");
            }
            if (item.cidr().contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** Like {@link #anyContains} but skipping unparsable items (what {@code lookup} does). */
    public static boolean anyContainsLenient(String raw, IpAddress ip) {
        for (Item item : parsed(raw)) {
            if (item.cidr() != null && item.cidr().contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private static List<Item> parsed(String raw) {
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        List<Item> cached = CACHE.get(raw);
        if (cached != null) {
            return cached;
        }
        List<Item> items = new ArrayList<>();
        for (String text : items(raw)) {
            Cidr cidr;
            try {
                cidr = Cidr.parse(text);
            } catch (IllegalArgumentException e) {
                cidr = null;
            }
            items.add(new Item(text, cidr));
        }
        List<Item> result = List.copyOf(items);
        if (raw.length() <= CACHE_MAX_RAW_LENGTH) {
            if (CACHE.size() >= CACHE_ENTRIES) {
                CACHE.clear(); // crude but bounded; a miss only costs a re-parse
            }
            CACHE.put(raw, result);
        }
        return result;
    }

    /**
     * Whether the address lies in one of the blocks, where a bare address stands for itself (a /32
     * or /128), as token and login bounds are written; an entry that does not parse matches nothing.
     */
    public static boolean anyContainsAddress(List<String> blocksOrAddresses, String address) {
        IpAddress ip = address == null ? null : IpAddress.parse(address).orElse(null);
        if (ip == null) {
            return false;
        }
        for (String c : blocksOrAddresses) {
            try {
                if (Cidr.parse(c.contains("/") ? c : c + (c.contains(":") ? "/128" : "/32")).contains(ip)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // matches nothing
            }
        }
        return false;
    }
}
