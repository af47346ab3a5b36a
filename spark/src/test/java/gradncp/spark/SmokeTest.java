package gradncp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void sparkRunsOnThisJdk() {
        SparkSession s = Sessions.open("local[2]", "smoke", null);
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(s.sparkContext());
            int sum = jsc.parallelize(List.of(1, 2, 3, 4), 2).reduce(Integer::sum);
            assertEquals(10, sum);
        } finally {
            s.stop();
        }
    }
}
