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
# # 7강. 사례 연구: 나선형 데이터
#
# 평면 위에 나선 팔 세 개, 팔마다 점 100개가 있습니다. 선형 분류기는 직선 경계밖에 그리지 못하는데,
# 나선의 팔들은 서로 휘감겨 있어서 어떤 직선으로도 나눌 수 없습니다. 이 사례 연구(CS231n)에서는 같은
# 데이터에 선형 소프트맥스 분류기와 ReLU 2층 신경망을 학습시키고 결정 경계를 비교합니다.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import SoftmaxClassifier, TwoLayerNet
from nnscratch.data import make_spiral
from nnscratch.train import fit_full_batch

# %% [markdown]
# ## 데이터
#
# 클래스 $j$의 $i$번째 점은 반지름 $r = i / (N - 1)$, 각도 $4j + 4i/(N - 1)$에 0.2라디안의 잡음을 더한 곳에 있습니다.

# %%
x, t = make_spiral(n_per_class=100, n_classes=3, noise=0.2, seed=0)
plt.scatter(x[:, 0], x[:, 1], c=t, s=20, cmap="brg")
plt.gca().set_aspect("equal")
plt.title("spiral: 3 classes x 100 points")
plt.show()

# %% [markdown]
# ## 선형 소프트맥스 분류기
#
# 점수 $s = xW + b$, 소프트맥스 교차 엔트로피, 그리고 $\lambda = 10^{-3}$인 L2 정규화 $\frac{1}{2}\lambda\sum W^2$
# (기울기는 $\lambda W$). 전체 배치 경사 하강법으로, 스텝 크기 1.0, 200번 반복합니다.

# %%
softmax_model = SoftmaxClassifier(2, 3, reg=1e-3, seed=0)
softmax_history = fit_full_batch(softmax_model, x, t, learning_rate=1.0, iterations=200, log_every=20)
for record in softmax_history:
    print(f"iteration {record['iteration']:4d}  loss {record['loss']:.4f}  accuracy {record['train_accuracy']:.2f}")

# %% [markdown]
# 손실은 약 1.097($\ln 3$: 모든 클래스가 같은 확률)에서 약 0.75까지 내려가고(강의 자료는 0.786, 무작위 잡음이
# 달라서 생기는 차이입니다), 훈련 정확도는 0.5 근처에서 멈춥니다.

# %%
assert abs(softmax_history[0]["loss"] - 1.097) < 0.01
assert abs(softmax_history[-1]["loss"] - 0.786) < 0.05
assert 0.45 <= softmax_history[-1]["train_accuracy"] <= 0.6

# %% [markdown]
# ## 2층 신경망
#
# ReLU 은닉 유닛 100개짜리 은닉층 하나, 스텝 크기와 정규화는 같게, 10,000번 반복합니다.

# %%
net = TwoLayerNet(2, 100, 3, activation="relu", reg=1e-3, seed=0)
net_history = fit_full_batch(net, x, t, learning_rate=1.0, iterations=10_000, log_every=1000)
for record in net_history:
    print(f"iteration {record['iteration']:5d}  loss {record['loss']:.4f}  accuracy {record['train_accuracy']:.3f}")
assert abs(net_history[0]["loss"] - 1.099) < 0.01
assert net_history[-1]["loss"] < 0.3
assert net_history[-1]["train_accuracy"] >= 0.98

# %% [markdown]
# ## 결정 경계
#
# 평면의 모든 점을 각 모델이 예측한 클래스의 색으로 칠해 봅시다.

# %%
grid = np.linspace(-1.2, 1.2, 300)
gx, gy = np.meshgrid(grid, grid)
plane = np.column_stack([gx.ravel(), gy.ravel()])
fig, axes = plt.subplots(1, 2, figsize=(11, 5))
for ax, (name, model) in zip(axes, [("linear softmax", softmax_model), ("two-layer net", net)]):
    regions = model.predict(plane).argmax(axis=1).reshape(gx.shape)
    ax.contourf(gx, gy, regions, alpha=0.3, cmap="brg")
    ax.scatter(x[:, 0], x[:, 1], c=t, s=15, cmap="brg", edgecolors="k", linewidths=0.3)
    ax.set_title(f"{name}: accuracy {model.accuracy(x, t):.2f}")
    ax.set_aspect("equal")
plt.show()

# %% [markdown]
# ## 손실 곡선

# %%
plt.plot([r["iteration"] for r in net_history], [r["loss"] for r in net_history], label="two-layer net")
plt.plot([r["iteration"] for r in softmax_history], [r["loss"] for r in softmax_history], label="linear softmax")
plt.xscale("symlog")
plt.xlabel("iteration")
plt.ylabel("loss")
plt.legend()
plt.show()

# %% [markdown]
# ## 연습 문제
#
# 1. 은닉 유닛을 10개, 1000개로 바꿔서 학습해 보세요. 결정 경계가 어떻게 달라지나요?
# 2. `reg=0`과 `reg=0.1`로 바꿔 보세요. 어느 쪽 경계가 가장 매끄럽고, *새로운* 나선 `make_spiral(seed=1)`에서는
#    어느 쪽 정확도가 가장 높나요?
# 3. 팔을 5개(`n_classes=5`)로 늘려 보세요. 이제 은닉 유닛이 몇 개나 필요할까요?
# 4. ReLU를 `"sigmoid"`로 바꿔 보세요. 스텝 크기 1.0에서 왜 더 느리게 학습할까요?
#
# ## 스스로 확인하기
#
# 위의 두 분류기는 모두 교차 엔트로피 오차로 학습했습니다. 아래 셀에 `cross_entropy_error`를 직접
# 작성해 보세요. 배치 평균을 내고, 정답이 클래스 번호든 원-핫 인코딩이든 처리하며, 샘플 하나도 받아야
# 합니다. `nnscratch.check`는 이 함수를 패키지의 손실 함수와 비교하고, 확률이 정확히 0일 때 어떻게 되는지도
# 확인합니다.

# %% tags=["check-yourself"]
def cross_entropy_error(y, t):
    if y.ndim == 1:  # one sample: make it a batch of one
        y, t = y.reshape(1, -1), np.reshape(t, (1, -1))
    if t.size == y.size:  # one-hot labels: turn them into class numbers
        t = t.argmax(axis=1)
    n = y.shape[0]
    return -np.sum(np.log(y[np.arange(n), np.ravel(t)] + 1e-7)) / n


report = nnscratch.check(cross_entropy_error)
print(report)
assert report.passed, "cross_entropy_error failed a check: read its FAIL or ERROR rows above, fix it and run again"
