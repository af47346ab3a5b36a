package gradncp.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded random train/test split of an {@link ImageSet}, for data that comes without one
 * (the built-in Text set, a single folder). Both parts keep the original order, so the split
 * is reproducible from (set, testCount, seed) and easy to inspect.
 */
public record Split(ImageSet train, ImageSet test) {
    /** Puts {@code testCount} randomly chosen images in {@code test} and the rest in {@code train}. */
    public static Split of(ImageSet all, int testCount, long seed) {
        if (testCount < 0 || testCount >= all.size()) {
            throw new IllegalArgumentException("testCount must be in [0, " + all.size()
                    + ") for a set of " + all.size() + " images, got " + testCount);
        }
        int[][] parts = indices(all.size(), testCount, seed);
        int[] test = parts[0];
        int[] train = parts[1];
        return new Split(all.subset(train), all.subset(test));
    }

    /** A seeded shuffle of [0, n) cut into {test (testCount, sorted), train (the rest, sorted)}. */
    static int[][] indices(int n, int testCount, long seed) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] test = Arrays.copyOfRange(order, 0, testCount);
        int[] train = Arrays.copyOfRange(order, testCount, order.length);
        Arrays.sort(test);
        Arrays.sort(train);
        return new int[][] {test, train};
    }
}
