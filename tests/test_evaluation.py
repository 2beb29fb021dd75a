"""The measures in evaluation reports, checked against values worked out by hand."""

import numpy as np
import pytest

from classifiers.evaluation import coverage_at_precision, expected_calibration_error, label_thresholds


def test_perfectly_calibrated_predictions_have_no_calibration_error():
    confidence = np.array([0.9] * 10)
    correct = np.array([True] * 9 + [False])
    assert expected_calibration_error(confidence, correct) == pytest.approx(0.0)


def test_overconfident_predictions_show_the_gap():
    confidence = np.array([0.95] * 10)
    correct = np.array([True] * 5 + [False] * 5)
    assert expected_calibration_error(confidence, correct) == pytest.approx(0.45)


def test_threshold_is_the_lowest_confidence_that_keeps_the_target_precision():
    predicted = ["a"] * 10
    confidence = np.array([0.99, 0.98, 0.97, 0.96, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5])
    correct = np.array([True, True, True, True, True, True, True, True, False, False])
    thresholds = label_thresholds(predicted, confidence, correct, target=0.97)
    assert thresholds["a"] == pytest.approx(0.7)  # the top eight are all right; the ninth is wrong


def test_a_label_seen_too_rarely_is_never_auto_accepted():
    thresholds = label_thresholds(["rare"] * 3, np.array([0.99, 0.99, 0.99]), np.array([True] * 3), 0.97)
    assert thresholds["rare"] > 1


def test_coverage_counts_only_what_clears_the_thresholds():
    rng = np.random.default_rng(1)
    predicted = np.array(["a", "b"] * 200)
    confidence = rng.uniform(0.3, 1.0, size=400)
    correct = rng.uniform(size=400) < confidence  # calibrated by construction
    result = coverage_at_precision(predicted, confidence, correct, 0.95)
    assert 0 < result["coverage"] < 1
    assert result["precision"] >= 0.85
