package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.session.Client;
import io.amdc.core.types.GeoHash;
import io.amdc.core.types.ZSet;
import io.amdc.core.util.Bytes;
import io.amdc.resp.RespOut;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Geo commands: sorted sets whose scores are 52-bit geohashes (Redis's geo.c behaviour). */
final class GeoFamily {
    private GeoFamily() {
    }

    private static final int STORE = 1, NOSTORE = 2, SEARCH = 4, SEARCHSTORE = 8, BYMEMBER = 16;

    static void declare(CommandTable t) {
        t.add("geoadd", -5, "write denyoom", "@geo", 1, 1, 1, GeoFamily::geoadd)
                .doc("Adds one or more members to a geospatial index. The key is created if it doesn't exist.", "3.2.0", "geo", "O(log(N)) for each item added, where N is the number of elements in the sorted set.");
        t.add("geodist", -4, "readonly", "@geo", 1, 1, 1, GeoFamily::geodist)
                .doc("Returns the distance between two members of a geospatial index.", "3.2.0", "geo", "O(1)");
        t.add("geohash", -2, "readonly", "@geo", 1, 1, 1, GeoFamily::geohash)
                .doc("Returns members from a geospatial index as geohash strings.", "3.2.0", "geo", "O(1) for each member requested.");
        t.add("geopos", -2, "readonly", "@geo", 1, 1, 1, GeoFamily::geopos)
                .doc("Returns the longitude and latitude of members from a geospatial index.", "3.2.0", "geo", "O(1) for each member requested.");
        t.add("georadius", -6, "write denyoom", "@geo", 1, 1, 1, GeoFamily::radiusKeys, (c, a) -> search(c, a, 1, 6, STORE))
                .doc("Queries a geospatial index for members within a distance from a coordinate, optionally stores the result.", "3.2.0", "geo", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.");
        t.add("georadius_ro", -6, "readonly", "@geo", 1, 1, 1, (c, a) -> search(c, a, 1, 6, NOSTORE))
                .doc("Returns members from a geospatial index that are within a distance from a coordinate.", "3.2.10", "geo", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.");
        t.add("georadiusbymember", -5, "write denyoom", "@geo", 1, 1, 1, GeoFamily::radiusKeys, (c, a) -> search(c, a, 1, 5, STORE | BYMEMBER))
                .doc("Queries a geospatial index for members within a distance from a member, optionally stores the result.", "3.2.0", "geo", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.");
        t.add("georadiusbymember_ro", -5, "readonly", "@geo", 1, 1, 1, (c, a) -> search(c, a, 1, 5, NOSTORE | BYMEMBER))
                .doc("Returns members from a geospatial index that are within a distance from a member.", "3.2.10", "geo", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.");
        t.add("geosearch", -7, "readonly", "@geo", 1, 1, 1, (c, a) -> search(c, a, 1, 2, SEARCH))
                .doc("Queries a geospatial index for members inside an area of a box or a circle.", "6.2.0", "geo", "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape");
        t.add("geosearchstore", -8, "write denyoom", "@geo", 1, 2, 1, (c, a) -> search(c, a, 2, 3, SEARCH | SEARCHSTORE))
                .doc("Queries a geospatial index for members inside an area of a box or a circle, optionally stores the result.", "6.2.0", "geo", "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape");
    }

    /** GEORADIUS keys: the source plus any STORE/STOREDIST destination. */
    static int[] radiusKeys(byte[][] argv) {
        List<Integer> pos = new ArrayList<>();
        pos.add(1);
        for (int i = 5; i < argv.length - 1; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "STORE") || Bytes.eqIgnoreCase(argv[i], "STOREDIST")) pos.add(++i);
        }
        return pos.stream().mapToInt(Integer::intValue).toArray();
    }

    /** C's "%.Nf" on the exact binary value. */
    static String fixed(double d, int places) {
        return new BigDecimal(d).setScale(places, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Redis's "human" long double text: "%.17Lf" with trailing zeros (and a bare '.') dropped. */
    static String human(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    static void humanReply(RespOut out, double d) {
        String s = human(d);
        if (out.resp3()) out.raw(("," + s + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        else out.bulk(s);
    }

    static double[] lonLat(byte[] lon, byte[] lat) {
        double x = Bytes.toDouble(lon);
        double y = Bytes.toDouble(lat);
        if (!GeoHash.valid(x, y)) {
            throw new CommandError("ERR invalid longitude,latitude pair " + fixed(x, 6) + "," + fixed(y, 6));
        }
        return new double[] {x, y};
    }

    static double unit(byte[] u) {
        if (Bytes.eqIgnoreCase(u, "m")) return 1;
        if (Bytes.eqIgnoreCase(u, "km")) return 1000;
        if (Bytes.eqIgnoreCase(u, "ft")) return 0.3048;
        if (Bytes.eqIgnoreCase(u, "mi")) return 1609.34;
        throw new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    static void geoadd(Client c, byte[][] argv) {
        boolean nx = false, xx = false;
        List<byte[]> flags = new ArrayList<>();
        int i = 2;
        for (; i < argv.length; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "NX")) nx = true;
            else if (Bytes.eqIgnoreCase(argv[i], "XX")) xx = true;
            else if (!Bytes.eqIgnoreCase(argv[i], "CH")) break;
            flags.add(argv[i]);
        }
        int left = argv.length - i;
        if (left == 0 || left % 3 != 0) throw CommandError.syntax();
        if (nx && xx) throw CommandError.syntax();
        byte[][] z = new byte[2 + flags.size() + left / 3 * 2][];
        z[0] = Bytes.bytes("zadd");
        z[1] = argv[1];
        int k = 2;
        for (byte[] f : flags) z[k++] = f;
        for (int j = i; j < argv.length; j += 3) {
            double[] xy = lonLat(argv[j], argv[j + 1]);
            z[k++] = Bytes.fromLong(GeoHash.encode(xy[0], xy[1], GeoHash.STEP_MAX));
            z[k++] = argv[j + 2];
        }
        ZSetFamily.zadd(c, z);
    }

    static void geodist(Client c, byte[][] argv) {
        if (argv.length > 5) throw CommandError.syntax();
        double toMeters = argv.length == 5 ? unit(argv[4]) : 1;
        ZSet z = ZSetFamily.get(c, argv[1]);
        double s1 = z == null ? Double.NaN : z.score(argv[2]);
        double s2 = z == null ? Double.NaN : z.score(argv[3]);
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            c.out().nullBulk();
            return;
        }
        double[] a = GeoHash.decode((long) s1), b = GeoHash.decode((long) s2);
        c.out().bulk(fixed(GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeters, 4));
    }

    private static final byte[] ALPHABET = Bytes.bytes("0123456789bcdefghjkmnpqrstuvwxyz");

    static void geohash(Client c, byte[][] argv) {
        ZSet z = ZSetFamily.get(c, argv[1]);
        c.out().array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            double s = z == null ? Double.NaN : z.score(argv[i]);
            if (Double.isNaN(s)) {
                c.out().nullBulk();
                continue;
            }
            // The standard geohash alphabet assumes latitudes over [-90, 90]: re-encode for it.
            double[] xy = GeoHash.decode((long) s);
            long bits = GeoHash.encode(xy[0], xy[1], GeoHash.STEP_MAX, -90, 90);
            byte[] out = new byte[11];
            for (int k = 0; k < 11; k++) {
                int idx = k == 10 ? 0 : (int) ((bits >>> (52 - (k + 1) * 5)) & 0x1f);
                out[k] = ALPHABET[idx];
            }
            c.out().bulk(out);
        }
    }

    static void geopos(Client c, byte[][] argv) {
        ZSet z = ZSetFamily.get(c, argv[1]);
        c.out().array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            double s = z == null ? Double.NaN : z.score(argv[i]);
            if (Double.isNaN(s)) {
                c.out().nullArray();
                continue;
            }
            double[] xy = GeoHash.decode((long) s);
            c.out().array(2);
            humanReply(c.out(), xy[0]);
            humanReply(c.out(), xy[1]);
        }
    }

    /** A found point. */
    private record Hit(byte[] member, double dist, double score, double lon, double lat) {
    }

    /** The search area: circle (radius) or box (width, height), in metres once multiplied by toMeters. */
    private static final class Shape {
        double lon, lat, radius, width, height, toMeters;
        boolean box;
    }

    /**
     * GEORADIUS[BYMEMBER][_RO], GEOSEARCH, GEOSEARCHSTORE. {@code src} is the source key's index,
     * {@code base} the index of the first option.
     */
    static void search(Client c, byte[][] argv, int src, int base, int flags) {
        ZSet z = ZSetFamily.get(c, argv[src]);
        Shape shape = new Shape();
        if ((flags & SEARCH) == 0) {
            if ((flags & BYMEMBER) != 0) {
                if (z != null) fromMember(z, argv[2], shape);
            } else {
                double[] xy = lonLat(argv[2], argv[3]);
                shape.lon = xy[0];
                shape.lat = xy[1];
            }
            shape.toMeters = distanceArg(argv[base - 2], argv[base - 1]);
            shape.radius = Bytes.toDouble(argv[base - 2]);
        }
        boolean withDist = false, withHash = false, withCoord = false, any = false, storeDist = false;
        boolean fromMember = false, fromLoc = false, byRadius = false, byBox = false;
        int sort = 0; // 0 none, 1 asc, -1 desc
        long count = 0;
        byte[] storeKey = (flags & SEARCHSTORE) != 0 ? argv[1] : null;
        int remaining = argv.length - base;
        for (int i = 0; i < remaining; i++) {
            byte[] a = argv[base + i];
            if (Bytes.eqIgnoreCase(a, "WITHDIST")) withDist = true;
            else if (Bytes.eqIgnoreCase(a, "WITHHASH")) withHash = true;
            else if (Bytes.eqIgnoreCase(a, "WITHCOORD")) withCoord = true;
            else if (Bytes.eqIgnoreCase(a, "ANY")) any = true;
            else if (Bytes.eqIgnoreCase(a, "ASC")) sort = 1;
            else if (Bytes.eqIgnoreCase(a, "DESC")) sort = -1;
            else if (Bytes.eqIgnoreCase(a, "COUNT") && i + 1 < remaining) {
                count = Bytes.toLong(argv[base + i + 1]);
                if (count <= 0) throw new CommandError("ERR COUNT must be > 0");
                i++;
            } else if ((Bytes.eqIgnoreCase(a, "STORE") || Bytes.eqIgnoreCase(a, "STOREDIST")) && i + 1 < remaining
                    && (flags & STORE) != 0) {
                storeKey = argv[base + i + 1];
                storeDist = Bytes.eqIgnoreCase(a, "STOREDIST");
                i++;
            } else if (Bytes.eqIgnoreCase(a, "STOREDIST") && (flags & SEARCHSTORE) != 0) {
                storeDist = true;
            } else if (Bytes.eqIgnoreCase(a, "FROMMEMBER") && i + 1 < remaining && (flags & SEARCH) != 0 && !fromLoc) {
                if (z != null) fromMember(z, argv[base + i + 1], shape);
                fromMember = true;
                i++;
            } else if (Bytes.eqIgnoreCase(a, "FROMLONLAT") && i + 2 < remaining && (flags & SEARCH) != 0 && !fromMember) {
                double[] xy = lonLat(argv[base + i + 1], argv[base + i + 2]);
                shape.lon = xy[0];
                shape.lat = xy[1];
                fromLoc = true;
                i += 2;
            } else if (Bytes.eqIgnoreCase(a, "BYRADIUS") && i + 2 < remaining && (flags & SEARCH) != 0 && !byBox) {
                shape.toMeters = distanceArg(argv[base + i + 1], argv[base + i + 2]);
                shape.radius = Bytes.toDouble(argv[base + i + 1]);
                byRadius = true;
                i += 2;
            } else if (Bytes.eqIgnoreCase(a, "BYBOX") && i + 3 < remaining && (flags & SEARCH) != 0 && !byRadius) {
                shape.width = Bytes.toDouble(argv[base + i + 1], "ERR need numeric width");
                shape.height = Bytes.toDouble(argv[base + i + 2], "ERR need numeric height");
                if (shape.width < 0 || shape.height < 0) throw new CommandError("ERR height or width cannot be negative");
                shape.toMeters = unit(argv[base + i + 3]);
                shape.box = true;
                byBox = true;
                i += 3;
            } else {
                throw CommandError.syntax();
            }
        }
        // Redis quotes the command name as the client typed it.
        String name = Bytes.str(argv[0]);
        if (storeKey != null && (withDist || withHash || withCoord)) {
            throw new CommandError((flags & SEARCHSTORE) != 0
                    ? "ERR " + name + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
                    : "ERR STORE option in " + name + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if ((flags & SEARCH) != 0 && !(fromMember || fromLoc)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if ((flags & SEARCH) != 0 && !(byRadius || byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (any && count == 0) throw new CommandError("ERR the ANY argument requires COUNT argument");
        if (z == null) {
            if (storeKey != null) {
                deleteStore(c, storeKey);
                c.out().integer(0);
            } else {
                c.out().array(0);
            }
            return;
        }
        if (count != 0 && sort == 0 && !any) sort = 1;
        List<Hit> hits = collect(z, shape, any ? count : 0);
        if (sort != 0) {
            Comparator<Hit> cmp = Comparator.comparingDouble(Hit::dist);
            hits.sort(sort > 0 ? cmp : cmp.reversed());
        }
        int n = (int) (count == 0 || hits.size() < count ? hits.size() : count);
        if (storeKey != null) {
            if (n == 0) {
                deleteStore(c, storeKey);
            } else {
                ZSetFamily.Collected col = new ZSetFamily.Collected();
                for (int i = 0; i < n; i++) {
                    Hit h = hits.get(i);
                    col.visit(h.member(), storeDist ? h.dist() / shape.toMeters : h.score());
                }
                ZSetFamily.store(c, storeKey, ZSetFamily.build(c, col, n));
                c.engine().notifications().notify(c, io.amdc.core.notify.Notifications.ZSET,
                        (flags & SEARCH) != 0 ? "geosearchstore" : "georadiusstore", storeKey);
            }
            c.out().integer(n);
            return;
        }
        RespOut out = c.out();
        int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
        out.array(n);
        for (int i = 0; i < n; i++) {
            Hit h = hits.get(i);
            if (options == 0) {
                out.bulk(h.member());
                continue;
            }
            out.array(options + 1);
            out.bulk(h.member());
            if (withDist) out.bulk(fixed(h.dist() / shape.toMeters, 4));
            if (withHash) out.integer((long) h.score());
            if (withCoord) {
                out.array(2);
                humanReply(out, h.lon());
                humanReply(out, h.lat());
            }
        }
    }

    private static void fromMember(ZSet z, byte[] member, Shape shape) {
        double s = z.score(member);
        if (Double.isNaN(s)) throw new CommandError("ERR could not decode requested zset member");
        double[] xy = GeoHash.decode((long) s);
        shape.lon = xy[0];
        shape.lat = xy[1];
    }

    /** Validates a radius argument and returns its unit's metres. */
    private static double distanceArg(byte[] radius, byte[] unit) {
        double r = Bytes.toDouble(radius, "ERR need numeric radius");
        if (r < 0) throw new CommandError("ERR radius cannot be negative");
        return unit(unit);
    }

    /** Scans the centre cell and its eight neighbours (at a step sized for the shape) for hits. */
    private static List<Hit> collect(ZSet z, Shape s, long limit) {
        double radiusM = s.box
                ? Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2)) * s.toMeters
                : s.radius * s.toMeters;
        // Bounding box of the shape: {minLon, minLat, maxLon, maxLat}.
        double h = s.toMeters * (s.box ? s.height / 2 : s.radius);
        double w = s.toMeters * (s.box ? s.width / 2 : s.radius);
        double latDelta = GeoHash.toDegrees(h / GeoHash.EARTH_RADIUS_M);
        double lonDeltaTop = GeoHash.toDegrees(w / GeoHash.EARTH_RADIUS_M / Math.cos(GeoHash.toRadians(s.lat + latDelta)));
        double lonDeltaBottom = GeoHash.toDegrees(w / GeoHash.EARTH_RADIUS_M / Math.cos(GeoHash.toRadians(s.lat - latDelta)));
        boolean south = s.lat < 0;
        double minLon = south ? s.lon - lonDeltaBottom : s.lon - lonDeltaTop;
        double maxLon = south ? s.lon + lonDeltaBottom : s.lon + lonDeltaTop;
        double minLat = s.lat - latDelta, maxLat = s.lat + latDelta;

        int step = GeoHash.stepsForRadius(radiusM, s.lat);
        long[] cells = neighbourhood(s, step);
        // When the estimated cells do not reach the bounding box's edges, one step coarser does.
        double[] north = GeoHash.area(cells[1], step), southA = GeoHash.area(cells[2], step);
        double[] east = GeoHash.area(cells[3], step), west = GeoHash.area(cells[4], step);
        if (step > 1 && (north[3] < maxLat || southA[2] > minLat || east[1] < maxLon || west[0] > minLon)) {
            step--;
            cells = neighbourhood(s, step);
        }
        boolean[] skip = new boolean[9];
        if (step >= 2) {
            double[] area = GeoHash.area(cells[0], step);
            // cells: 0 centre, 1 N, 2 S, 3 E, 4 W, 5 NE, 6 NW, 7 SE, 8 SW
            if (area[2] < minLat) skip[2] = skip[8] = skip[7] = true;
            if (area[3] > maxLat) skip[1] = skip[5] = skip[6] = true;
            if (area[0] < minLon) skip[4] = skip[8] = skip[6] = true;
            if (area[1] > maxLon) skip[3] = skip[7] = skip[5] = true;
        }
        List<Hit> hits = new ArrayList<>();
        int last = -1;
        for (int i = 0; i < 9; i++) {
            if (skip[i]) continue;
            // Huge radii make neighbours coincide: never scan the same cell twice in a row.
            if (last >= 0 && cells[i] == cells[last]) continue;
            if (limit > 0 && hits.size() >= limit) break;
            scanCell(z, cells[i], step, s, hits, limit);
            last = i;
        }
        return hits;
    }

    private static long[] neighbourhood(Shape s, int step) {
        long c = GeoHash.encode(s.lon, s.lat, step);
        return new long[] {c,
                GeoHash.move(c, step, 0, 1), GeoHash.move(c, step, 0, -1),
                GeoHash.move(c, step, 1, 0), GeoHash.move(c, step, -1, 0),
                GeoHash.move(c, step, 1, 1), GeoHash.move(c, step, -1, 1),
                GeoHash.move(c, step, 1, -1), GeoHash.move(c, step, -1, -1)};
    }

    private static void scanCell(ZSet z, long cell, int step, Shape s, List<Hit> hits, long limit) {
        int shift = 52 - step * 2;
        double min = (double) (cell << shift);
        double max = (double) ((cell + 1) << shift);
        long lo = z.countBelowScore(min, false);
        long hi = z.countBelowScore(max, false);
        if (lo >= hi) return;
        z.forRange(lo, hi - 1, false, new ZSet.EntryVisitor() {
            @Override
            public void visit(byte[] member, double score) {
                if (limit > 0 && hits.size() >= limit) return;
                double[] xy = GeoHash.decode((long) score);
                double d;
                if (s.box) {
                    if (GeoHash.latDistance(xy[1], s.lat) > s.height * s.toMeters / 2) return;
                    if (GeoHash.distance(xy[0], xy[1], s.lon, xy[1]) > s.width * s.toMeters / 2) return;
                    d = GeoHash.distance(s.lon, s.lat, xy[0], xy[1]);
                } else {
                    d = GeoHash.distance(s.lon, s.lat, xy[0], xy[1]);
                    if (d > s.radius * s.toMeters) return;
                }
                hits.add(new Hit(member, d, score, xy[0], xy[1]));
            }
        });
    }

    /** An empty STORE result deletes the destination, announced as "del" when it existed. */
    private static void deleteStore(Client c, byte[] storeKey) {
        if (c.db().delete(storeKey)) {
            c.engine().notifications().notify(c, io.amdc.core.notify.Notifications.GENERIC, "del", storeKey);
        }
    }
}
