package gradncp.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Disjoint meta-train, meta-val and meta-test classes (ALGORITHM.md, Classification): the class
 * indices shuffled with a fixed seed, then the first 64% for meta-training, the next 16% for
 * meta-validation and the rest for meta-testing (the miniImageNet proportions), each sorted.
 * The seed is fixed, not the run's, so that every run of a dataset sees the same test classes.
 */
public record ClassSplit(int[] train, int[] val, int[] test) {
    /** The seed of the shuffle. */
    public static final long SEED = 0x5EEDL;

    public enum Part { TRAIN, VAL, TEST }

    public static ClassSplit of(int classes) {
        if (classes < 3) {
            throw new IllegalArgumentException("a meta-train/val/test split needs at least 3 classes, got " + classes);
        }
        int[] order = new int[classes];
        Arrays.setAll(order, i -> i);
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = classes - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int nTrain = Math.max(1, (int) Math.round(classes * 0.64));
        int nVal = Math.max(1, (int) Math.round(classes * 0.16));
        nTrain = Math.min(nTrain, classes - 2);
        nVal = Math.min(nVal, classes - nTrain - 1);
        int[] train = Arrays.copyOfRange(order, 0, nTrain);
        int[] val = Arrays.copyOfRange(order, nTrain, nTrain + nVal);
        int[] test = Arrays.copyOfRange(order, nTrain + nVal, classes);
        Arrays.sort(train);
        Arrays.sort(val);
        Arrays.sort(test);
        return new ClassSplit(train, val, test);
    }

    public int[] part(Part p) {
        return switch (p) {
            case TRAIN -> train.clone();
            case VAL -> val.clone();
            case TEST -> test.clone();
        };
    }
}
