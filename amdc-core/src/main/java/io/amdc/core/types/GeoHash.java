package io.amdc.core.types;

/**
 * The geohash arithmetic behind GEO commands: a position is two 26-bit cell indexes (latitude in
 * the even bits, longitude in the odd bits) interleaved into a 52-bit integer that serves as the
 * member's sorted-set score. Latitude spans the Web-Mercator limits, as Redis's does.
 */
public final class GeoHash {
    private GeoHash() {
    }

    public static final double LAT_MIN = -85.05112878, LAT_MAX = 85.05112878;
    public static final double LON_MIN = -180, LON_MAX = 180;
    public static final double EARTH_RADIUS_M = 6372797.560856;
    public static final double MERCATOR_MAX = 20037726.37;
    public static final int STEP_MAX = 26;
    private static final double D_R = Math.PI / 180.0;

    public static boolean valid(double lon, double lat) {
        return lon >= LON_MIN && lon <= LON_MAX && lat >= LAT_MIN && lat <= LAT_MAX;
    }

    /** Interleaves the cell indexes of (lon, lat) at {@code step} bits per axis within the given latitude span. */
    public static long encode(double lon, double lat, int step, double latMin, double latMax) {
        double latOff = (lat - latMin) / (latMax - latMin) * (1L << step);
        double lonOff = (lon - LON_MIN) / (LON_MAX - LON_MIN) * (1L << step);
        return interleave((long) latOff, (long) lonOff);
    }

    public static long encode(double lon, double lat, int step) {
        return encode(lon, lat, step, LAT_MIN, LAT_MAX);
    }

    /** The cell of {@code bits}: {lonMin, lonMax, latMin, latMax}. */
    public static double[] area(long bits, int step) {
        long lat = squash(bits);
        long lon = squash(bits >>> 1);
        double cells = 1L << step;
        double latScale = LAT_MAX - LAT_MIN, lonScale = LON_MAX - LON_MIN;
        return new double[] {
                LON_MIN + (lon / cells) * lonScale, LON_MIN + ((lon + 1) / cells) * lonScale,
                LAT_MIN + (lat / cells) * latScale, LAT_MIN + ((lat + 1) / cells) * latScale};
    }

    /** The centre of a 52-bit score's cell: {lon, lat}, clamped to the valid ranges. */
    public static double[] decode(long bits) {
        double[] a = area(bits, STEP_MAX);
        double lon = Math.max(LON_MIN, Math.min(LON_MAX, (a[0] + a[1]) / 2));
        double lat = Math.max(LAT_MIN, Math.min(LAT_MAX, (a[2] + a[3]) / 2));
        return new double[] {lon, lat};
    }

    private static long spread(long v) {
        v &= 0xffffffffL;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    private static long squash(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }

    static long interleave(long lat, long lon) {
        return spread(lat) | (spread(lon) << 1);
    }

    /**
     * Moves a cell by dx (longitude, odd bits) and dy (latitude, even bits), wrapping at the
     * edges: adding through a mask of the other axis's bits lets the carry ripple across them.
     */
    public static long move(long bits, int step, int dx, int dy) {
        if (dx != 0) bits = moveAxis(bits, step, dx, 0xaaaaaaaaaaaaaaaaL, 0x5555555555555555L);
        if (dy != 0) bits = moveAxis(bits, step, dy, 0x5555555555555555L, 0xaaaaaaaaaaaaaaaaL);
        return bits;
    }

    private static long moveAxis(long bits, int step, int d, long axisMask, long otherMask) {
        long axis = bits & axisMask;
        long other = bits & otherMask;
        long filler = otherMask >>> (64 - step * 2);
        if (d > 0) axis = axis + (filler + 1);
        else axis = (axis | filler) - (filler + 1);
        axis &= axisMask >>> (64 - step * 2);
        return axis | other;
    }

    /** Great-circle distance in metres (haversine), short-cutting meridian-aligned points. */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        double v = Math.sin((lon2 * D_R - lon1 * D_R) / 2);
        if (v == 0.0) return latDistance(lat1, lat2);
        double lat1r = lat1 * D_R, lat2r = lat2 * D_R;
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
    }

    public static double latDistance(double lat1, double lat2) {
        return EARTH_RADIUS_M * Math.abs(lat2 * D_R - lat1 * D_R);
    }

    /** Bits per axis for a search of this radius: coarse enough that the 3x3 cells cover it. */
    public static int stepsForRadius(double meters, double lat) {
        if (meters == 0) return STEP_MAX;
        int step = 1;
        while (meters < MERCATOR_MAX) {
            meters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) step--;
        }
        return Math.max(1, Math.min(STEP_MAX, step));
    }

    public static double toRadians(double deg) {
        return deg * D_R;
    }

    public static double toDegrees(double rad) {
        return rad / D_R;
    }
}
