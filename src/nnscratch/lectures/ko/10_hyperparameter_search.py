# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 10강. `nnscratch sweep`으로 하이퍼파라미터 탐색하기
#
# 가중치는 학습으로 정해지지만, **하이퍼파라미터**는 사람이 정해야 합니다. 은닉층 크기, 학습률과 그 감소율,
# 에폭 수, 정규화 세기 같은 것들이지요. 시드 000(CS231n의 CIFAR-10 과제)에서는 여러 조합을 시도하고 표로 정리해서
# 골랐습니다. hidden_size, learning_rate, lr_decay, num_epochs, reg, 그리고 훈련 정확도와 검증 정확도.
# 가장 좋은 행은 CIFAR-10에서 훈련 약 0.53, 검증 약 0.49였습니다.
#
# 이런 표를 믿을 수 있으려면 세 가지 규칙을 지켜야 합니다.
#
# 1. 판단은 훈련 데이터에서 떼어 낸 **검증 데이터**로 합니다. 시험 데이터는 절대 쓰지 않습니다.
#    여기서는 Fashion-MNIST 훈련 이미지 앞쪽 50,000장으로 학습하고 나머지 10,000장으로 검증합니다.
# 2. 학습률과 정규화 세기는 로그 스케일로 뽑습니다. 0.001과 0.01의 차이는 0.01과 0.1의 차이만큼 큽니다.
# 3. 중요한 하이퍼파라미터가 몇 개뿐이라면 무작위 탐색이 그리드 탐색보다 낫습니다(Bergstra & Bengio, 2012).
#    무작위 시도 9번은 학습률 9개를 시험하지만, 3x3 그리드는 3개밖에 시험하지 못합니다.
#
# `nnscratch sweep`은 시도(trial)들을 여러 작업 프로세스에서 병렬로 돌리고, 가망 없는 시도는 일찍 멈추며(가지치기),
# 중단된 탐색을 이어서 할 수 있습니다. 여기서는 Fashion-MNIST로 돌립니다(CIFAR-10 파일이 있다면
# `--dataset cifar10`으로 똑같이 됩니다).

# %%
import csv
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import TwoLayerNet
from nnscratch.data import load_fashion_mnist

QUICK = os.environ.get("NNSCRATCH_QUICK") == "1"
out = Path("runs/lecture-10-sweep")
out.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## 탐색 공간
#
# 어디를 찾아볼지는 작은 TOML 파일에 적습니다. `low`/`high`는 범위, `log = true`는 로그 스케일 추출,
# `grid`는 그리드 탐색에서 쓸 값 목록입니다.

# %%
space = f"""
[hidden_size]
low = 50
high = 300
log = true

[learning_rate]
low = 0.01
high = 0.5
log = true

[lr_decay]
low = 0.8
high = 1.0

[num_epochs]
low = 1
high = {1 if QUICK else 8}

[reg]
low = 1e-5
high = 1e-2
log = true
"""
(out / "space.toml").write_text(space)

# %% [markdown]
# ## 탐색 실행하기
#
# 터미널에서는 이렇게 입력합니다.
#
# ```sh
# nnscratch sweep --dataset fashion --trials 16 --jobs 2 --sampler random --space space.toml
# ```
#
# 여기서는 노트북이 같은 명령을 실행합니다(노트북이 쓰는 파이썬을 그대로 쓰도록 `python -m nnscratch`로).

# %%
trials = 3 if QUICK else 16
command = [
    sys.executable, "-m", "nnscratch", "sweep", "--dataset", "fashion", "--trials", str(trials),
    "--jobs", "2", "--sampler", "random", "--space", str(out / "space.toml"), "--output-dir", str(out),
]
result = subprocess.run(command, capture_output=True, text=True)
print(result.stdout[-3000:])
assert result.returncode == 0, result.stderr

# %% [markdown]
# `trials`를 늘려서 셀을 다시 실행하면 탐색이 **이어서** 진행됩니다. 끝난 시도는 `study.journal`에 남아 있고,
# 새 시도만 실행됩니다.
#
# ## 결과 표 읽기
#
# `results.csv`에 모든 시도가 들어 있습니다. 검증 정확도가 높은 순서로 정렬해 봅시다.

# %%
with open(out / "results.csv") as f:
    rows = [row for row in csv.DictReader(f) if row["state"] == "COMPLETE"]
rows.sort(key=lambda row: float(row["val_accuracy"]), reverse=True)
columns = ["hidden_size", "learning_rate", "lr_decay", "num_epochs", "reg", "train_accuracy", "val_accuracy"]
print(" ".join(f"{c:>14s}" for c in columns))
for row in rows:
    print(" ".join(f"{float(row[c]):14.4g}" for c in columns))
assert rows and float(rows[0]["val_accuracy"]) > 0.7

# %% [markdown]
# 하이퍼파라미터마다 검증 정확도를 그려 봅시다. 뚜렷한 경향이 보이면 중요한 하이퍼파라미터이고, 평평하게
# 흩어져 있으면 (이 범위에서는) 별로 중요하지 않다는 뜻입니다.

# %%
fig, axes = plt.subplots(1, 5, figsize=(15, 3), sharey=True)
for ax, name in zip(axes, columns[:5]):
    ax.scatter([float(r[name]) for r in rows], [float(r["val_accuracy"]) for r in rows])
    if name in ("learning_rate", "reg"):
        ax.set_xscale("log")
    ax.set_xlabel(name)
axes[0].set_ylabel("validation accuracy")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 이제서야, 시험 데이터
#
# 가장 좋은 하이퍼파라미터로 훈련 이미지 60,000장 전체를 다시 학습하고, 시험 정확도를 딱 한 번 잽니다.
# 보고할 숫자는 이것입니다. 검증 정확도는 고르는 데 이미 썼기 때문에 조금 낙관적입니다.

# %%
best = rows[0]
print({name: best[name] for name in columns[:5]})
(x_train, t_train), (x_test, t_test) = load_fashion_mnist()
if QUICK:
    x_train, t_train = x_train[:10_000], t_train[:10_000]
net = TwoLayerNet(784, int(best["hidden_size"]), 10, reg=float(best["reg"]), seed=0, dtype=np.float32)
rng = np.random.default_rng(0)
lr = float(best["learning_rate"])
for _ in range(int(best["num_epochs"])):
    for batch in np.array_split(rng.permutation(len(x_train)), len(x_train) // 100):
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in net.params:
            net.params[key] -= lr * grads[key]
    lr *= float(best["lr_decay"])
print("test accuracy:", round(net.accuracy(x_test, t_test), 4))

# %% [markdown]
# ## 연습 문제
#
# 1. `--sampler tpe`로 16번 더 시도해 보세요. Optuna의 TPE 샘플러는 지금까지의 시도로부터 다음에 어디를 볼지
#    학습합니다. 무작위 탐색보다 최고 기록이 좋아지나요?
# 2. 가장 좋은 시도 주변으로 탐색 공간을 좁혀서 다시 탐색해 보세요("거칠게, 그다음 세밀하게"). 이때는 새
#    `--output-dir`을 쓰세요. 스터디는 처음 시작한 탐색 공간을 기억하고, 다른 공간으로는 이어 가지 않습니다.
# 3. 하이퍼파라미터마다 `grid = [...]`를 적어 16개 점짜리 그리드 공간을 만들고 `--sampler grid`로 돌려 보세요
#    (이것도 새 `--output-dir`에서).
#    무작위 16번과 최고 기록을 비교해 보세요.
# 4. 여기서 가장 중요한 하이퍼파라미터는 무엇인가요? 고정해 두고 잊어도 되는 것은?
#
# ## 스스로 확인하기
#
# 탐색 결과, 가장 중요한 하이퍼파라미터는 학습률이었습니다. AdaGrad와 RMSprop은 학습률을 가중치마다
# 조정합니다. 지금까지 나온 기울기 제곱의 제곱근으로 갱신 폭을 나누는데, AdaGrad는 기울기 제곱을 모두
# 더하고 RMSprop은 지수적으로 감소하는 평균을 씁니다. 아래 셀에 둘을 직접 작성해 보세요.
# `nnscratch.check`가 패키지의 규칙과 다섯 번의 갱신을 비교하고, 간단한 2차 함수의 손실이 줄어드는지
# 확인합니다.

# %% tags=["check-yourself"]
class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, {}

    def update(self, params, grads):
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h += grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + 1e-7)


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate, self.h = lr, decay_rate, {}

    def update(self, params, grads):
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h *= self.decay_rate
            h += (1 - self.decay_rate) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + 1e-7)


for mine in [AdaGrad, RMSprop]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
