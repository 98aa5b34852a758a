package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.storage.DecodedCache;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.engine.storage.StoredFields;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The certificates a mount issued: one record per certificate under {@code certs/<serial, 16 hex>},
 * and an expiry index ({@code certs-expiry/<valid_before, 16 hex>-<serial, 16 hex>}, no value) that
 * lets a tidy find the records past their retention in expiry order without reading the others.
 *
 * <p>Atomicity: a record is created with one put-if-absent (a serial is never recorded twice);
 * changes to a record ({@code description}, {@code metadata}, its revocation) are atomic updates of
 * that one key. The index entry is written before the record and removed after it, so a record
 * never exists without the entry that lets a tidy find it.
 */
public final class Inventory {
    static final String CERTS = "certs/";
    static final String EXPIRY = "certs-expiry/";
    static final String CONFIG = "config/inventory";
    static final String LAST_TIDY = "inventory/last-tidy";
    /**
     * Keys read ahead per listing when a filter decides, and per tidy step: large, since a cluster
     * answers each listing by scanning its map, whatever the page.
     */
    private static final int PAGE = 10_000;

    /** The mount's inventory settings. */
    public record Settings(boolean storeCertificates, long retentionSeconds) {
        public static final Settings DEFAULT = new Settings(true, 7 * 24 * 3600L);

        byte[] encode() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("store_certificates", storeCertificates);
            m.put("retention", retentionSeconds);
            return JsonValues.encode(m);
        }

        static Settings decode(byte[] raw) {
            Map<String, Object> m = JsonValues.decode(raw);
            return new Settings(!Boolean.FALSE.equals(m.get("store_certificates")),
                    StoredFields.number(m, "retention", DEFAULT.retentionSeconds()));
        }
    }

    /** One page of records, and where the next page starts ("" when the listing is done). */
    public record Page(List<CertRecord> records, String nextAfter) {
    }

    private final Storage storage;
    private final DecodedCache<Settings> settings = new DecodedCache<>(4);

    public Inventory(Storage storage) {
        this.storage = storage;
    }

    public Settings settings() {
        return storage.get(CONFIG).map(raw -> settings.decode(CONFIG, raw, Settings::decode)).orElse(Settings.DEFAULT);
    }

    public void saveSettings(Settings s) {
        storage.put(CONFIG, s.encode());
    }

    /** Records a new certificate; false when its serial is already recorded (then nothing changed). */
    public boolean record(CertRecord record) {
        String index = indexKey(record);
        storage.put(index, new byte[0]);
        // on a clash the index entry stays: a tidy that reads it finds the other record and keeps it
        return storage.putIfAbsent(CERTS + Serials.key(record.serial()), record.encode());
    }

    public Optional<CertRecord> get(long serial) {
        return storage.get(CERTS + Serials.key(serial)).map(CertRecord::decode);
    }

    /** Changes one record atomically; empty when there is none. */
    public Optional<CertRecord> update(long serial, UnaryOperator<CertRecord> change) {
        byte[] out = storage.update(CERTS + Serials.key(serial), cur -> cur == null ? null : change.apply(CertRecord.decode(cur)).encode());
        return Optional.ofNullable(out).map(CertRecord::decode);
    }

    public void delete(CertRecord record) {
        storage.delete(CERTS + Serials.key(record.serial()));
        storage.delete(indexKey(record));
    }

    /**
     * Records after {@code after} (a 16-digit key; "" for the first) that {@code filter} keeps, at
     * most {@code limit} of them, reading at most {@code budget} records: with a filter that few
     * records pass, the page may come back short with {@code nextAfter} set, and the caller goes on
     * from there. Keys are read a page at a time, never all at once.
     */
    public Page list(String after, int limit, int budget, Predicate<CertRecord> filter) {
        List<CertRecord> out = new ArrayList<>();
        String cursor = after;
        int read = 0;
        while (out.size() < limit && read < budget) {
            // unfiltered, a page of keys is the page; filtered, read ahead in storage-sized pages
            int want = Math.min(PAGE, filter == null ? limit - out.size() : budget - read);
            List<String> keys = storage.listPage(CERTS, cursor, want);
            for (String key : keys) {
                cursor = key;
                read++;
                Optional<CertRecord> r = storage.get(CERTS + key).map(CertRecord::decode);
                if (r.isPresent() && (filter == null || filter.test(r.get()))) {
                    out.add(r.get());
                }
                if (out.size() >= limit) {
                    break;
                }
            }
            if (keys.size() < want && out.size() < limit) {
                return new Page(out, ""); // the listing ended before the page filled
            }
        }
        boolean more = !storage.listPage(CERTS, cursor, 1).isEmpty();
        return new Page(out, more ? cursor : "");
    }

    /**
     * Removes the records whose certificates expired more than the retention ago, in expiry order,
     * at most {@code max} of them; returns how many went.
     */
    public int tidy(long now, int max) {
        long cutoff = now - settings().retentionSeconds();
        int removed = 0;
        while (removed < max) {
            List<String> page = storage.listPage(EXPIRY, "", Math.min(PAGE, max - removed));
            if (page.isEmpty()) {
                return removed;
            }
            for (String name : page) {
                int dash = name.indexOf('-');
                long validBefore = Long.parseUnsignedLong(name.substring(0, dash), 16);
                if (validBefore > cutoff || validBefore < 0) {
                    return removed;
                }
                long serial = Long.parseUnsignedLong(name.substring(dash + 1), 16);
                Optional<CertRecord> r = get(serial);
                if (r.isPresent() && r.get().validBefore() == validBefore) {
                    storage.delete(CERTS + Serials.key(serial));
                    removed++;
                }
                storage.delete(EXPIRY + name);
            }
        }
        return removed;
    }

    /**
     * Claims the periodic tidy for this interval: true for one caller (on any node) per
     * {@code intervalSeconds}, by an atomic update of the time of the last one.
     */
    public boolean claimPeriodicTidy(long now, long intervalSeconds) {
        boolean[] claimed = {false};
        storage.update(LAST_TIDY, cur -> {
            long last = cur == null ? 0 : Long.parseLong(new String(cur, StandardCharsets.UTF_8));
            if (now - last < intervalSeconds) {
                claimed[0] = false;
                return cur;
            }
            claimed[0] = true;
            return String.valueOf(now).getBytes(StandardCharsets.UTF_8);
        });
        return claimed[0];
    }

    private static String indexKey(CertRecord r) {
        return EXPIRY + Serials.key(r.validBefore()) + "-" + Serials.key(r.serial());
    }
}
