package io.github.sqlitebackup.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median, minimum and maximum of repeated measurements, in milliseconds.
 *
 * @param median the median
 * @param min the minimum
 * @param max the maximum
 * @param runs how many measurements
 */
record Stats(double median, double min, double max, int runs) {

	static Stats of(List<Double> millis) {
		List<Double> sorted = new ArrayList<>(millis);
		Collections.sort(sorted);
		int n = sorted.size();
		double median = (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
	}

	/**
	 * Return a percentile of measurements.
	 * @param values the measurements
	 * @param percentile from 0 to 100
	 * @return the value at that percentile (nearest rank)
	 */
	static double percentile(List<Double> values, double percentile) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
	}

}
