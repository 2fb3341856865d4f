"""Shared by train.py and check.py: how a split CSV becomes features, and the
two hyperparameter sets (the first try, and the retrain when the check fails).

A split CSV (written by split.py) has one flight a row:
    date,delay,distance,origin,destination,origin_lat,origin_lon
Features: hour of day, weekday, month (from `date`), distance, origin airport
(ordinal-encoded inside the model) and the origin's coordinates. Target: delay.
"""
import csv
import math
from datetime import datetime

import numpy as np

FEATURES = ["hour", "weekday", "month", "distance", "origin", "origin_lat", "origin_lon"]
ORIGIN_COLUMN = FEATURES.index("origin")

# "first": flexible trees, the usual winner on busy airports.
# "retrain": shallow, slow-learning trees with bigger leaves, for airports where
# the first model overfits and loses to the baseline.
# absolute_error because the check scores by MAE.
HYPERPARAMETERS = {
    "first": dict(loss="absolute_error", n_estimators=200, max_depth=4,
                  learning_rate=0.1, min_samples_leaf=1),
    "retrain": dict(loss="absolute_error", n_estimators=100, max_depth=2,
                    learning_rate=0.05, min_samples_leaf=5),
}


# The same two tries for --kind tiny (TinyModel): plain least squares, then a
# ridge that pulls every feature's weight towards zero, i.e. towards the mean.
TINY_HYPERPARAMETERS = {
    "first": dict(ridge=0.0),
    "retrain": dict(ridge=50.0),
}


class TinyModel:
    """A linear model of the numeric features (hour, hour squared, weekday,
    month, distance, origin coordinates), standardized, fitted with numpy
    alone: for scale runs of the fleet, where importing scikit-learn in every
    train and check step would cost more than the training."""

    NUMERIC = [FEATURES.index(name) for name in
               ("hour", "weekday", "month", "distance", "origin_lat", "origin_lon")]

    def __init__(self, ridge=0.0):
        self.ridge = ridge

    def _columns(self, X):
        columns = np.array(X[:, self.NUMERIC], dtype=float)
        hour = columns[:, :1]
        return np.hstack([columns, hour * hour])

    def fit(self, X, y):
        columns = self._columns(X)
        self.fill = np.nan_to_num(np.nanmean(columns, axis=0))
        columns = np.where(np.isnan(columns), self.fill, columns)
        self.center = columns.mean(axis=0)
        self.scale = columns.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        z = (columns - self.center) / self.scale
        self.intercept = float(y.mean())
        gram = z.T @ z + (self.ridge + 1e-9) * np.eye(z.shape[1])
        self.weights = np.linalg.solve(gram, z.T @ (y - self.intercept))
        return self

    def predict(self, X):
        columns = self._columns(X)
        columns = np.where(np.isnan(columns), self.fill, columns)
        return self.intercept + ((columns - self.center) / self.scale) @ self.weights


class UnusableData(Exception):
    pass


def _number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def load(path):
    """Returns (X, y) for the usable rows of a split CSV; raises UnusableData
    when no row is usable, saying why."""
    rows, bad = [], 0
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            delay, distance = _number(r.get("delay")), _number(r.get("distance"))
            try:
                when = datetime.strptime(r["date"], "%Y/%m/%d %H:%M")
            except (KeyError, TypeError, ValueError):
                when = None
            if delay is None or distance is None or when is None:
                bad += 1
                continue
            lat, lon = _number(r.get("origin_lat")), _number(r.get("origin_lon"))
            rows.append(([when.hour + when.minute / 60, when.weekday(), when.month, distance,
                          r.get("origin") or "?", np.nan if lat is None else lat,
                          np.nan if lon is None else lon], delay))
    if not rows:
        raise UnusableData(f"{path}: no usable rows ({bad} rows with a missing or "
                           "non-numeric delay, distance or date)")
    X = np.array([features for features, _ in rows], dtype=object)
    y = np.array([delay for _, delay in rows], dtype=float)
    return X, y, bad
