"""Train one airport's delay model on its train split with one of the
hyperparameter sets in features.py; writes a pickled bundle (the fitted model
plus what it was trained with) to --model. --kind gbm (the default) fits
scikit-learn's gradient boosting; --kind tiny a numpy-only linear model
(features.TinyModel), for scale runs on synthetic fleets.
"""
import argparse
import os
import pickle
import sys
import time
import warnings

import features

p = argparse.ArgumentParser()
p.add_argument("--airport", required=True)
p.add_argument("--train", required=True, help="train.csv from split.py")
p.add_argument("--params", choices=sorted(features.HYPERPARAMETERS), default="first")
p.add_argument("--model", default="/tmp/model/model.pkl")
p.add_argument("--kind", choices=["gbm", "tiny"], default="gbm")
a = p.parse_args()

try:
    X, y, skipped = features.load(a.train)
except features.UnusableData as e:
    sys.exit(f"train {a.airport}: {e}")


def gradient_boosting(hyper):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import GradientBoostingRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder
    encode_origin = ColumnTransformer(
        [("origin", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
          [features.ORIGIN_COLUMN])],
        remainder="passthrough")
    return make_pipeline(encode_origin, GradientBoostingRegressor(random_state=0, **hyper))


if a.kind == "tiny":
    hyper = features.TINY_HYPERPARAMETERS[a.params]
    model = features.TinyModel(**hyper)
else:
    hyper = features.HYPERPARAMETERS[a.params]
    model = gradient_boosting(hyper)

started = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)  # absolute_error on tiny leaves
    model.fit(X, y)
fit_seconds = time.perf_counter() - started

os.makedirs(os.path.dirname(a.model), exist_ok=True)
with open(a.model, "wb") as f:
    pickle.dump({"airport": a.airport, "kind": a.kind, "params": a.params, "hyperparameters": hyper,
                 "features": features.FEATURES, "n_train": len(y),
                 "train_mean_delay": float(y.mean()), "fit_seconds": fit_seconds,
                 "pipeline": model}, f)
print(f"train {a.airport} [{a.kind} {a.params}]: {len(y)} rows ({skipped} skipped), "
      f"fit {fit_seconds:.2f}s")
