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
# # 3강. 수치 미분, 기울기, 경사 하강법
#
# 신경망 학습이란 손실 함수의 값을 가장 작게 만드는 가중치 매개변수를 찾는 일입니다. 이때 쓰는 도구가
# **기울기**입니다. 손실이 어느 쪽으로 줄어드는지 알면 그쪽으로 조금씩 움직이면 되니까요. 이번 강의에서는
# 기울기를 수치적으로 구해 보고, 흔히 하는 실수를 직접 겪어 본 뒤, 경사 하강법으로 언덕을 내려가 봅니다.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import gradient_descent, numerical_diff, numerical_gradient
from nnscratch.functional import cross_entropy_error, softmax

# %% [markdown]
# ## 작은 간격으로 구하는 미분
#
# 미분은 $h \to 0$일 때 $\frac{f(x+h) - f(x)}{h}$의 극한입니다. 컴퓨터는 극한을 계산할 수 없으니 아주 작은
# $h$를 넣어 봅시다. 강의 자료의 "나쁜 구현 예"는 $h = 10^{-50}$을 씁니다.

# %%
def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def bad_numerical_diff(f, x):
    h = 1e-50
    return (f(x + h) - f(x)) / h


print(bad_numerical_diff(function_1, 5.0))

# %% [markdown]
# 0이 나왔습니다. 그런데 $x = 5$에서의 진짜 기울기는 $0.02 \cdot 5 + 0.1 = 0.2$입니다. 원인은 **반올림 오차**입니다.
# float64는 유효숫자를 16자리 정도만 저장하므로 $5 + 10^{-50}$은 그냥 5로 저장되고, $f(x + h) - f(x) = 0$이
# 됩니다. (float32에서는 $10^{-50}$ 자체가 0으로 반올림됩니다.)

# %%
print("5 + 1e-50 == 5:", 5.0 + 1e-50 == 5.0)
print("float32(1e-50):", np.float32(1e-50))

# %% [markdown]
# 해결책은 두 가지입니다. 작지만 너무 작지는 않은 간격($h = 10^{-4}$)을 쓰는 것, 그리고 $x$를 중심으로 앞뒤의
# 차분을 구하는 **중심 차분** $\frac{f(x+h) - f(x-h)}{2h}$을 쓰는 것입니다. 중심 차분의 오차는 $h$가 아니라
# $h^2$에 비례해서 줄어듭니다.

# %%
def my_numerical_diff(f, x):
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


for x0, expected in [(5.0, 0.1999999999990898), (10.0, 0.2999999999986347)]:
    ours, library = my_numerical_diff(function_1, x0), numerical_diff(function_1, x0)
    print(f"x = {x0:4}: ours {ours!r}  nnscratch {library!r}  exact {0.02 * x0 + 0.1:.1f}")
    assert ours == library == expected

# %% [markdown]
# 미분값은 접선의 기울기입니다. $f$와 함께 $x = 5$, $x = 10$에서의 접선을 그려 봅시다.

# %%
xs = np.arange(0.0, 20.0, 0.1)
plt.plot(xs, function_1(xs), label="f(x)")
for x0 in (5.0, 10.0):
    slope = numerical_diff(function_1, x0)
    plt.plot(xs, slope * (xs - x0) + function_1(x0), linestyle="--", label=f"tangent at {x0:g}")
plt.xlabel("x")
plt.legend()
plt.show()

# %% [markdown]
# ## 편미분과 기울기
#
# $f(x_0, x_1) = x_0^2 + x_1^2$처럼 변수가 여럿이면 변수마다 기울기가 하나씩 있습니다. 나머지 변수는 고정하고
# 한 변수에 대해서만 미분하는 것이 **편미분**이고, 모든 편미분을 모은 벡터
# $\left(\frac{\partial f}{\partial x_0}, \frac{\partial f}{\partial x_1}\right)$가 **기울기**(gradient)입니다.

# %%
def function_2(x):
    return np.sum(x**2)


grad = numerical_gradient(function_2, np.array([3.0, 4.0]))
print(grad.tolist())
assert grad.tolist() == [6.00000000000378, 7.999999999999119]

# %% [markdown]
# 기울기는 $f$가 가장 빠르게 커지는 방향을 가리키고, 기울기에 마이너스를 붙이면 내리막 방향이 됩니다.
# 격자 위에 그려 보면 화살표가 모두 최솟값 (0, 0)을 향합니다.

# %%
g0, g1 = np.meshgrid(np.arange(-2, 2.5, 0.5), np.arange(-2, 2.5, 0.5))
arrows = np.array([numerical_gradient(function_2, np.array([a, b])) for a, b in zip(g0.ravel(), g1.ravel())])
plt.quiver(g0, g1, -arrows[:, 0], -arrows[:, 1], angles="xy")
plt.title("minus the gradient of $x_0^2 + x_1^2$")
plt.gca().set_aspect("equal")
plt.show()

# %% [markdown]
# ## 경사 하강법
#
# $x \leftarrow x - \eta \nabla f(x)$를 반복합니다. 한 번에 움직이는 크기 $\eta$가 **학습률**입니다.
# $(-3, 4)$에서 출발해 $\eta = 0.1$로 20번 움직여 봅시다.

# %%
x_end, path = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=20)
print("end point:", x_end.round(4))
assert np.allclose(x_end, [-0.0346, 0.0461], atol=1e-4)

# %% [markdown]
# 학습률이 중요합니다. 너무 크면($\eta = 10$) 매번 최솟값을 지나쳐 점점 멀리 튀어 나가고, 너무 작으면
# ($\eta = 10^{-10}$) 거의 움직이지 않습니다.

# %%
fig, ax = plt.subplots(figsize=(5, 5))
circle = np.linspace(0, 2 * np.pi, 100)
for radius in (1, 2, 3, 4, 5):
    ax.plot(radius * np.cos(circle), radius * np.sin(circle), color="lightgray", linewidth=0.8)
for lr in (0.1, 10.0, 1e-10):
    end, before_each = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=lr, step_num=20)
    points = np.vstack([before_each, end])
    print(f"lr = {lr:g}: ends at {end}")
    ax.plot(points[:, 0], points[:, 1], "o-", markersize=3, label=f"lr = {lr:g}")
ax.set(xlim=(-5, 5), ylim=(-5, 5), xlabel="$x_0$", ylabel="$x_1$")
ax.legend()
plt.show()

# %% [markdown]
# ## 신경망에서의 기울기
#
# 손실 함수에도 같은 도구를 씁니다. 강의 자료의 simpleNet은 2x3 가중치 행렬 $W$, 입력 $x = (0.6, 0.9)$,
# 정답 레이블 $t = (0, 0, 1)$로 이루어져 있습니다. 손실은 $W$의 함수이고, 그 기울기는 $W$와 모양이 같으며
# 각 가중치를 조금 바꿀 때 손실이 얼마나 변하는지를 알려 줍니다.

# %%
rng = np.random.default_rng(0)
W = rng.normal(size=(2, 3))
x_in, t_in = np.array([0.6, 0.9]), np.array([0, 0, 1])


def loss(W):
    return cross_entropy_error(softmax(x_in @ W), t_in)


dW = numerical_gradient(loss, W)
print("loss", round(loss(W), 4))
print("dW\n", dW.round(4))

# %% [markdown]
# `dW`의 반대 방향으로 $W$를 조금 움직이면 손실이 줄어들어야 합니다.

# %%
print("after one step:", round(loss(W - 0.5 * dW), 4))
assert loss(W - 0.5 * dW) < loss(W)

# %% [markdown]
# ## 연습 문제
#
# 1. $x = 5$에서 중심 차분의 $h$를 $10^{-1}, 10^{-4}, 10^{-8}, 10^{-12}$로 바꿔 보세요. 로그 축에 $h$에 따른
#    오차를 그려 보세요. 어떤 $h$가 가장 좋고, $h$가 아주 작아지면 왜 오차가 다시 커질까요?
# 2. 학습률 $\eta = 0.5$, $0.9$, $1.0$, $1.1$로 경사 하강법을 돌려 보세요. $1.0$에서는 무슨 일이 생기나요?
# 3. $x_0^2 + x_1^2$의 정확한 도함수를 쓰고 수치 미분 결과와 비교해 보세요.
# 4. `dW`의 각 행을 더하면 0이 됩니다. 왜 그럴까요?
#
# ## 스스로 확인하기
#
# `numerical_diff`와 `numerical_gradient`를 직접 작성해 봅시다. 하나는 $h = 10^{-4}$인 중앙 차분이고,
# 다른 하나는 `x`의 원소마다 중앙 차분을 구한 뒤 그 원소를 원래 값으로 되돌려 놓는 함수입니다.
# `nnscratch.check`는 이 둘을 패키지의 함수와 비교합니다. 값이 맞는지, 정말 중앙 차분인지, 정수 입력과
# 여러 모양의 `x`를 처리하는지, `x`를 원래대로 남겨 두는지 확인합니다. $h = 10^{-50}$이나 전방 차분으로
# 바꿔 다시 실행해 보세요.

# %% tags=["check-yourself"]
def numerical_diff(f, x):
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x):
    h = 1e-4
    x = np.asarray(x, dtype=float)  # an int array could not hold x + h
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        kept = x[i]
        x[i] = kept + h
        f_plus = f(x)
        x[i] = kept - h
        f_minus = f(x)
        x[i] = kept  # put the value back: the caller's array must not change
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


for mine in [numerical_diff, numerical_gradient]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
