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
# # 1강. 퍼셉트론과 논리 게이트
#
# 퍼셉트론은 입력 몇 개를 받아 각각에 가중치를 곱하고, 편향을 더한 뒤, 그 합이 0보다 크면
# 1을 출력(뉴런이 "발화")하는 아주 단순한 모델입니다.
#
# $$y = \begin{cases} 0 & (b + w_1 x_1 + w_2 x_2 \le 0) \\ 1 & (b + w_1 x_1 + w_2 x_2 > 0) \end{cases}$$
#
# 앞부분은 선형 함수이고, 0을 기준으로 0과 1을 가르는 뒷부분(계단 함수)이 바로 **활성화 함수**입니다.
# 이번 강의에서는 퍼셉트론 하나로 AND, NAND, OR 게이트를 만들어 보고, 왜 퍼셉트론 하나로는
# XOR을 풀 수 없는지 확인한 다음, XOR을 두 가지 방법으로 풀어 봅니다. 퍼셉트론을 층으로 쌓는
# 방법, 그리고 작은 2층 신경망을 직접 학습시키는 방법입니다.
#
# 셀은 Shift+Enter로 실행합니다. 숫자를 하나 바꾸고 다시 실행해서 무엇이 달라지는지 꼭 눈으로 확인해 보세요.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import TwoLayerNet
from nnscratch.data import make_xor
from nnscratch.perceptron import AND, NAND, OR, XOR, truth_table
from nnscratch.train import fit_full_batch

# %% [markdown]
# ## 퍼셉트론 하나를 직접 써 보기
#
# 퍼셉트론의 전부가 아래 몇 줄입니다. 가중치와 입력의 곱을 더하고, 편향을 더하고, 0과 비교합니다.

# %%
def perceptron(x1, x2, w1, w2, b):
    total = w1 * x1 + w2 * x2 + b
    return 1 if total > 0 else 0


inputs = [(0, 0), (1, 0), (0, 1), (1, 1)]
print("x1 x2 | AND")
for x1, x2 in inputs:
    print(f" {x1}  {x2} |  {perceptron(x1, x2, 0.5, 0.5, -0.7)}")

# %% [markdown]
# $w_1 = w_2 = 0.5$, $b = -0.7$이면 두 입력이 모두 1일 때만 합이 0을 넘습니다. 이것이 AND입니다.
# 같은 퍼셉트론이라도 숫자(매개변수)만 바꾸면 다른 게이트가 됩니다.
#
# | 게이트 | $w_1$ | $w_2$ | $b$ |
# |---|---|---|---|
# | AND | 0.5 | 0.5 | -0.7 |
# | NAND | -0.5 | -0.5 | 0.7 |
# | OR | 0.5 | 0.5 | -0.2 |
#
# 패키지에도 같은 게이트가 있습니다(`nnscratch.perceptron`). 우리가 만든 것과 진리표가 일치하는지 확인해 봅시다.

# %%
gates = {
    "AND": ((0.5, 0.5, -0.7), [0, 0, 0, 1]),
    "NAND": ((-0.5, -0.5, 0.7), [1, 1, 1, 0]),
    "OR": ((0.5, 0.5, -0.2), [0, 1, 1, 1]),
}
library = {"AND": AND, "NAND": NAND, "OR": OR}
for name, ((w1, w2, b), expected) in gates.items():
    ours = [perceptron(x1, x2, w1, w2, b) for x1, x2 in inputs]
    theirs = [row[2] for row in truth_table(library[name])]
    print(f"{name:5s} ours {ours}  nnscratch {theirs}")
    assert ours == theirs == expected

# %% [markdown]
# ## 퍼셉트론이 보는 세상: 직선 하나
#
# 퍼셉트론은 직선 $w_1 x_1 + w_2 x_2 + b = 0$의 한쪽에서만 1을 출력합니다. 아래 그림은 네 가지 입력을
# AND, OR, XOR의 출력에 따라 색칠하고, AND와 OR의 경계선을 그린 것입니다.

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.5))
line_x = np.linspace(-0.5, 1.5, 2)
for ax, (name, outputs) in zip(axes, [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("XOR", [0, 1, 1, 0])]):
    for (x1, x2), y in zip(inputs, outputs):
        ax.scatter(x1, x2, s=150, marker="o" if y else "x", color="tab:blue" if y else "tab:red")
    if name in gates:
        w1, w2, b = gates[name][0]
        ax.plot(line_x, -(w1 * line_x + b) / w2, color="gray")
    ax.set(title=name, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$", ylabel="$x_2$")
plt.tight_layout()
plt.show()

# %% [markdown]
# XOR은 어떤 직선을 그어도 파란 동그라미 두 개와 빨간 X 두 개를 양쪽으로 나눌 수 없습니다.
# 즉 XOR은 **선형 분리**가 불가능하고, 퍼셉트론 하나로는 풀 수 없습니다. 인공지능 암흑기의 첫 원인으로
# 꼽히는 문제이기도 하지요.
#
# ## 층을 쌓아서 해결하기: XOR = AND(NAND, OR)
#
# 한 층으로 안 되는 일도 두 층이면 됩니다. 입력을 NAND와 OR에 넣고, 그 출력 $s_1, s_2$를 다시 AND에 넣습니다.

# %%
print("x1 x2 | s1=NAND s2=OR | y=AND(s1, s2)")
for x1, x2 in inputs:
    s1, s2 = NAND(x1, x2), OR(x1, x2)
    y = AND(s1, s2)
    print(f" {x1}  {x2} |    {s1}      {s2}   |      {y}")
    assert y == XOR(x1, x2) == (x1 != x2)

# %% [markdown]
# ## XOR을 설계하지 않고 학습시키기
#
# 지금까지는 가중치를 사람이 정했습니다. 신경망은 이 가중치를 데이터로부터 스스로 찾습니다.
# 아래에서는 2층 신경망(입력 2개, tanh를 쓰는 은닉 유닛 4개, 소프트맥스 출력 2개)이 경사 하강법으로
# XOR을 학습합니다. 그 원리는 3강부터 6강까지 차근차근 다룹니다. 그림은 평면의 모든 점에서 신경망이
# 어느 클래스로 예측하는지를 보여 줍니다. 경계가 더 이상 직선이 아니라는 점에 주목하세요.

# %%
x, t = make_xor()
net = TwoLayerNet(2, 4, 2, weight_init_std=1.0, activation="tanh", seed=0)
history = fit_full_batch(net, x, t, learning_rate=0.5, iterations=2000)
print(f"loss {history[0]['loss']:.3f} -> {history[-1]['loss']:.4f}")
print("predictions:", net.predict(x).argmax(axis=1), "labels:", t)
assert net.accuracy(x, t) == 1.0

grid = np.linspace(-0.5, 1.5, 200)
gx, gy = np.meshgrid(grid, grid)
regions = net.predict(np.column_stack([gx.ravel(), gy.ravel()])).argmax(axis=1).reshape(gx.shape)
plt.contourf(gx, gy, regions, alpha=0.3, cmap="coolwarm_r")
plt.scatter(x[:, 0], x[:, 1], c=t, s=150, cmap="coolwarm_r", edgecolors="k")
plt.title("a two-layer net learned XOR")
plt.show()

# %% [markdown]
# ## 연습 문제
#
# 1. AND를 만드는 다른 가중치를 찾아보세요. 예를 들어 $b = -1.5$라면? 가능한 직선은 몇 개나 될까요?
# 2. 퍼셉트론 하나로 NOR 게이트(두 입력이 모두 0일 때만 1)를 만들어 보세요.
# 3. NAND 게이트만으로 XOR을 만들어 보세요(4개면 충분합니다).
# 4. XOR 신경망의 은닉 유닛을 4개 대신 2개로 하고, `seed=1, 2, 3`으로도 학습해 보세요.
#    항상 성공하나요? 실패한다면 왜일까요?
#
# ## 스스로 확인하기
#
# 퍼셉트론의 활성화 함수는 계단 함수입니다. 아래 셀에서는 계단 함수를 넘파이 배열 전체에 한 번에
# 적용되도록 `step_function`으로 만들고 `nnscratch.check`에 넘깁니다. `nnscratch.check`는 자체 입력으로
# 이 함수를 실행해서 패키지의 계단 함수와 항목별로 비교합니다. 함수 본문을 직접 작성해 보세요. 일부러 `>`를
# `<`로 바꿔 다시 실행해 봐도 좋습니다. 실패한 항목은 무엇을 봤는지, 어디를 보면 되는지 알려 주지만 답을
# 보여 주지는 않습니다.

# %% tags=["check-yourself"]
def step_function(x):
    return (np.asarray(x) > 0).astype(int)


print(step_function(np.array([-1.0, 0.0, 2.0])))
report = nnscratch.check(step_function)
print(report)
assert report.passed, "step_function failed a check: read its FAIL or ERROR rows above, fix it and run again"
