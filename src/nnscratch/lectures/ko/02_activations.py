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
# # 2강. 활성화 함수, 소프트맥스, 손실 함수
#
# 신경망의 한 층은 "선형 함수 + 활성화 함수"입니다. 활성화 함수가 없다면 층을 아무리 쌓아도 소용이 없습니다.
# 선형 함수의 선형 함수는 여전히 선형 함수이기 때문입니다. 선형과 비선형이 만나는 곳, 신경망이 "휘어지는" 곳이
# 바로 활성화 함수입니다. 이번 강의에서는 자주 쓰는 활성화 함수를 그려 보고, 소프트맥스 분류기의 출력을 만들고,
# 예측이 얼마나 틀렸는지를 손실 함수로 재어 봅니다.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch.functional import (
    cross_entropy_error,
    elu,
    leaky_relu,
    relu,
    sigmoid,
    softmax,
    step_function,
    sum_squared_error,
    tanh,
)
from nnscratch.lectures.forward import IRIS_B, IRIS_W, IRIS_X

# %% [markdown]
# ## 계단 함수와 시그모이드 함수
#
# 1강의 퍼셉트론은 계단 함수를 썼습니다. 그런데 기울기로 학습하는 신경망(3강)에는 매끄러운 함수가 필요합니다.
# 그래서 등장하는 것이 시그모이드 함수입니다.
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}}$$
#
# 어떤 수든 $(0, 1)$ 사이로 눌러 담고, 모든 점에서 기울기가 있습니다. 두 함수를 NumPy로 구현해 봅시다.
# NumPy로 쓰면 배열 전체에 한 번에 적용됩니다.

# %%
def my_step(x):
    return (x > 0).astype(int)


def my_sigmoid(x):
    return 1 / (1 + np.exp(-x))


x = np.linspace(-5, 5, 201)
assert np.array_equal(my_step(x), step_function(x))
assert np.allclose(my_sigmoid(x), sigmoid(x))
plt.plot(x, my_step(x), label="step", linestyle="--")
plt.plot(x, my_sigmoid(x), label="sigmoid")
plt.ylim(-0.1, 1.1)
plt.legend()
plt.show()

# %% [markdown]
# ## tanh와 ReLU 계열
#
# - tanh: 시그모이드와 모양은 비슷하지만 0을 중심으로 하고, 범위는 $(-1, 1)$입니다.
# - ReLU: $\max(0, x)$. 계산이 싸고, 양수 입력에서는 기울기가 항상 1이라 층을 여러 번 거슬러 가도
#   기울기가 사라지지 않습니다.
# - Leaky ReLU: $\max(\alpha x, x)$, 작은 $\alpha$(강의 자료에서는 0.1). 입력이 음수인 유닛도 기울기를
#   조금은 흘려보냅니다.
# - ELU: $x \ge 0$이면 $x$, 아니면 $\alpha(e^x - 1)$. 매끄럽고 음수 출력도 허용합니다.
# - Maxout: 선형 함수 $k$개 중 최댓값, $\max(w_1^T x + b_1, w_2^T x + b_2)$. $w_2 = 0, b_2 = 0$이면 ReLU가 됩니다.

# %%
curves = {
    "sigmoid": sigmoid(x),
    "tanh": tanh(x),
    "ReLU": relu(x),
    "Leaky ReLU (0.1)": leaky_relu(x, 0.1),
    "ELU (1.0)": elu(x, 1.0),
    "Maxout (2 pieces)": np.maximum(0.5 * x + 1, -1.5 * x - 2),
}
fig, axes = plt.subplots(2, 3, figsize=(11, 6))
for ax, (name, y) in zip(axes.ravel(), curves.items()):
    ax.plot(x, y)
    ax.axhline(0, color="gray", linewidth=0.5)
    ax.axvline(0, color="gray", linewidth=0.5)
    ax.set_title(name)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 소프트맥스: 점수를 확률로
#
# 마지막 층은 클래스마다 *점수* 하나를 냅니다. 소프트맥스는 이 점수를 확률로 바꿉니다.
#
# $$p_i = \frac{e^{s_i}}{\sum_j e^{s_j}}$$
#
# 강의 자료의 예시는 고양이, 자동차, 개구리 세 클래스에 점수가 3.2, 5.1, -1.7인 경우입니다.

# %%
scores = np.array([3.2, 5.1, -1.7])
print("exp(scores):", np.exp(scores).round(2))
p = softmax(scores)
print("softmax:    ", p.round(2))
assert np.allclose(p.round(2), [0.13, 0.87, 0.00])

# %% [markdown]
# `np.exp(1000)`은 무한대로 넘쳐 버리고(오버플로), inf / inf는 nan이 됩니다. 모든 점수에서 같은 수를 빼도
# 소프트맥스 값은 변하지 않으므로, 안전한 소프트맥스는 가장 큰 점수를 먼저 뺍니다.

# %%
big = np.array([1010.0, 1000.0, 990.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("naive :", np.exp(big) / np.exp(big).sum())
print("stable:", softmax(big))

# %% [markdown]
# ## Iris 한 행으로 순전파 해 보기
#
# 강의 자료에서는 붓꽃 한 송이 $x = (6.3, 2.7, 4.9, 1.8)$(virginica, 클래스 2)을 가중치가 주어진 층 하나에
# 통과시킵니다. 점수 $H = Wx + b$를 구하고, 소프트맥스를 적용합니다.

# %%
H = IRIS_W @ IRIS_X + IRIS_B
p = softmax(H)
print("scores       ", H.round(4))
print("probabilities", p.round(4))
assert np.allclose(H, [-0.8943, 1.0996, 2.0833], atol=1e-4)
assert np.allclose(p, [0.0357, 0.2624, 0.7018], atol=1e-4)

b_shifted = IRIS_B + np.array([0.0, 1.0, 0.0])
p_shifted = softmax(IRIS_W @ IRIS_X + b_shifted)
print("with b2 + 1  ", p_shifted.round(4))
assert np.allclose(p_shifted, [0.0246, 0.4917, 0.4837], atol=1e-4)

# %% [markdown]
# 두 번째 편향에 1을 더했더니 정답 클래스의 확률이 클래스 1로 옮겨 갔습니다. 그만큼 얼마나 나빠졌는지를
# 숫자 하나로 나타내는 것이 손실 함수입니다.
#
# ## 손실 함수
#
# - 오차제곱합: $E = \frac{1}{2}\sum_k (y_k - t_k)^2$
# - 교차 엔트로피 오차: $E = -\sum_k t_k \log y_k$. 정답 클래스의 확률만 손실에 반영됩니다.
#
# 강의 자료의 표는 $\log_{10}$을 써서 0.15376과 0.31541이 나왔습니다. 이 패키지는(그리고 모든 딥러닝
# 라이브러리는) 밑이 $e$인 자연로그를 쓰므로, 같은 확률에서 0.3541과 0.7263이 나옵니다. 순서는 같고 크기만 다릅니다.

# %%
label = 2
for name, probs in [("original", p), ("b2 + 1", p_shifted)]:
    ce = cross_entropy_error(probs, label)
    print(f"{name:9s} natural log {ce:.4f}   log10 {-np.log10(probs[label]):.5f}")
assert round(cross_entropy_error(p, label), 4) == 0.3541
assert round(cross_entropy_error(p_shifted, label), 4) == 0.7263

one_hot = np.eye(3)[label]
sse = [round(sum_squared_error(probs, one_hot), 4) for probs in (p, p_shifted)]
print("sum of squared errors:", sse)

# %% [markdown]
# ## 연습 문제
#
# 1. 시그모이드의 기울기 $\sigma(x)(1 - \sigma(x))$를 그려 보세요. 어디서 가장 크고, $x = \pm 5$에서는 얼마인가요?
#    시그모이드를 깊게 쌓으면 어떤 일이 생길까요?
# 2. Leaky ReLU의 기울기를 0.01로, ELU의 $\alpha$를 0.5로 바꿔서 그래프를 비교해 보세요.
# 3. 세 점수(3.2, 5.1, -1.7)에 10을 곱해 보고, 0.1도 곱해 보세요. 소프트맥스는 어떻게 변하나요?
# 4. Iris 편향을 어떻게 바꾸면 손실이 0.3541보다 작아질까요?
#
# ## 스스로 확인하기
#
# 아래 셀에 `sigmoid`, `relu`, 그리고 점수가 1000쯤 되어도 끄떡없는 `softmax`를 직접 작성해 보세요.
# `nnscratch.check`가 각각을 패키지의 함수와 비교합니다. 1차원과 2차원 입력, $\pm 1000$ 같은 큰 점수,
# 인수를 함부로 바꾸지 않는지, 소프트맥스라면 각 행의 합이 1인지까지 확인합니다. 소프트맥스에서
# `x.max(...)`를 빼고 다시 실행해서 실패가 어떻게 보이는지도 확인해 보세요.

# %% tags=["check-yourself"]
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(0, x)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


for mine in [sigmoid, relu, softmax]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
