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
# # 4강. 계산 그래프와 손으로 하는 오차역전파
#
# 수치 미분은 가중치 하나마다 손실을 두 번씩 계산해야 합니다. 가중치가 백만 개인 신경망이라면 한 번 갱신할
# 때마다 순전파를 이백만 번 해야 하지요. **오차역전파법**은 순전파 한 번과 역전파 한 번 정도의 비용으로 모든
# 기울기를 구합니다. 이 아이디어는 **계산 그래프**로 보면 가장 쉽게 이해됩니다. 계산 과정을 노드로 그리고,
# 각 노드는 작은 연산 하나만 맡습니다.
#
# 순전파에서는 값이 왼쪽에서 오른쪽으로 흐릅니다. 역전파에서는 각 노드가 "최종 출력을 내 출력으로 미분한 값"
# (상류에서 흘러온 기울기)을 받아서 자신의 **국소적 미분**을 곱한 뒤 입력 쪽으로 넘깁니다. 노드 하나하나에
# 연쇄 법칙을 적용하는 것, 그것이 오차역전파의 전부입니다.

# %%
import numpy as np

import nnscratch
from nnscratch import numerical_gradient
from nnscratch.graph import AddLayer, MulLayer
from nnscratch.layers import Sigmoid

# %% [markdown]
# ## 연쇄 법칙
#
# $z = t^2$, $t = x + y$이면 $\frac{\partial z}{\partial x} = \frac{\partial z}{\partial t}
# \frac{\partial t}{\partial x} = 2t \cdot 1$입니다. 강의 자료의 예: $z = 4y^2$, $y = 5x + 3$이면
# $\frac{dz}{dx} = 8y \cdot 5 = 40(5x + 3)$입니다.

# %%
def z_of_x(x):
    y = 5 * x + 3
    return 4 * y**2


x0 = 1.0
dz_dy, dy_dx = 8 * (5 * x0 + 3), 5
print("chain rule:", dz_dy * dy_dx, "  formula 40(5x + 3):", 40 * (5 * x0 + 3))
print("numerical: ", numerical_gradient(lambda v: z_of_x(v[0]), np.array([x0]))[0])

# %% [markdown]
# ## 두 가지 노드: 곱셈과 덧셈
#
# 곱셈 노드 $out = xy$의 국소적 미분은 $x$에 대해 $y$, $y$에 대해 $x$입니다. 즉 역전파 때 입력을 서로
# **바꿔서** 곱합니다. 덧셈 노드는 상류의 기울기를 그대로 양쪽 입력에 흘려보냅니다. 둘을 클래스로 구현해
# 봅시다. 패키지의 `MulLayer`, `AddLayer`도 똑같이 생겼습니다.

# %%
class MyMul:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class MyAdd:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout, dout


# %% [markdown]
# ## 예제 1: 사과와 귤 사기
#
# 사과 2개(개당 100원), 귤 3개(개당 150원), 소비세 10%. 노드로 그래프를 만들고, 순전파를 한 다음,
# $\frac{\partial\,가격}{\partial\,가격} = 1$에서 출발해 역전파합니다.

# %%
mul_apple, mul_orange, add_fruit, mul_tax = MyMul(), MyMul(), MyAdd(), MyMul()

apple_price = mul_apple.forward(100, 2)
orange_price = mul_orange.forward(150, 3)
price = mul_tax.forward(add_fruit.forward(apple_price, orange_price), 1.1)

dall, dtax = mul_tax.backward(1)
dapple_price, dorange_price = add_fruit.backward(dall)
dapple, dapple_num = mul_apple.backward(dapple_price)
dorange, dorange_num = mul_orange.backward(dorange_price)

print(f"price {price:.0f}")
print(f"dApple {dapple:.1f}, dApple_num {dapple_num:.0f}, dOrange {dorange:.1f}, "
      f"dOrange_num {dorange_num:.0f}, dTax {dtax:.0f}")
assert round(price, 6) == 715
assert np.allclose([dapple, dapple_num, dorange, dorange_num, dtax], [2.2, 110, 3.3, 165, 650])

# %% [markdown]
# 기울기는 "민감도"로 읽으면 됩니다. 사과 값이 1원 오르면 최종 가격은 2.2원 오릅니다(사과 2개에 세금 10%).
# 가장 큰 지렛대는 소비세로, 기울기가 650이나 됩니다.
#
# ## 예제 2: $f = (x + y)z$
#
# $x = -2, y = 5, z = -4$에서 $q = x + y = 3$, $f = qz = -12$입니다. 역전파에서 곱셈 노드는 $q$ 쪽으로
# $z = -4$를, $z$ 쪽으로 $q = 3$을 보내고, 덧셈 노드는 $-4$를 $x$와 $y$에 그대로 복사합니다.

# %%
add, mul = AddLayer(), MulLayer()
f = mul.forward(add.forward(-2.0, 5.0), -4.0)
dq, dz = mul.backward(1.0)
dx, dy = add.backward(dq)
print(f"f = {f}, df/dx = {dx}, df/dy = {dy}, df/dz = {dz}")
assert (f, dx, dy, dz) == (-12.0, -4.0, -4.0, 3.0)

# %% [markdown]
# ## 예제 3: 시그모이드 뉴런
#
# $w = (2, -3, -3)$, $x = (-1, -2)$에서 $f(w, x) = \sigma(w_0 x_0 + w_1 x_1 + w_2)$를 계산합니다.
# 시그모이드의 국소적 미분은 $\sigma(1 - \sigma)$이므로, 노드는 순전파 때의 자기 출력을 다시 씁니다.

# %%
m0, m1, a0, a1, sig = MulLayer(), MulLayer(), AddLayer(), AddLayer(), Sigmoid()
w, xv = (2.0, -3.0, -3.0), (-1.0, -2.0)
dot = a0.forward(m0.forward(w[0], xv[0]), m1.forward(w[1], xv[1]))
out = sig.forward(np.array(a1.forward(dot, w[2])))

ddot, dw2 = a1.backward(sig.backward(np.array(1.0)))
dp0, dp1 = a0.backward(ddot)
dw0, dx0 = m0.backward(dp0)
dw1, dx1 = m1.backward(dp1)
dw_neuron, dx_neuron = np.array([dw0, dw1, dw2]), np.array([dx0, dx1])
print("f  =", round(float(out), 4))
print("dw =", dw_neuron.round(4), " dx =", dx_neuron.round(4))
assert round(float(out), 4) == 0.7311
assert np.allclose(dw_neuron, [-0.1966, -0.3932, 0.1966], atol=1e-4)
assert np.allclose(dx_neuron, [0.3932, -0.5898], atol=1e-4)

# %% [markdown]
# ## 예제 4: 행렬이 들어간 $f(x, W) = \lVert Wx \rVert^2$
#
# $q = Wx$라 하면 $f = \sum_i q_i^2$입니다. 역전파: $\frac{\partial f}{\partial q} = 2q$, 그다음
# $\frac{\partial f}{\partial W} = 2q\,x^T$($W$와 모양이 같은 외적), $\frac{\partial f}{\partial x} = W^T 2q$.
# 기울기는 언제나 해당 변수와 모양이 같습니다.

# %%
W = np.array([[0.1, 0.5], [-0.3, 0.8]])
xw = np.array([0.2, 0.4])
q = W @ xw
f_norm = q @ q
dq = 2 * q
dW, dxw = np.outer(dq, xw), W.T @ dq
print("f =", round(f_norm, 3))
print("dW =\n", dW.round(3))
print("dx =", dxw.round(3))
assert round(f_norm, 3) == 0.116
assert np.allclose(dW, [[0.088, 0.176], [0.104, 0.208]])
assert np.allclose(dxw, [-0.112, 0.636])

# %% [markdown]
# 오차역전파와 수치 미분은 반드시 같은 답을 내야 합니다. 확인해 봅시다.

# %%
print(numerical_gradient(lambda m: np.sum((m @ xw) ** 2), W.copy()).round(3))
assert np.allclose(numerical_gradient(lambda m: np.sum((m @ xw) ** 2), W.copy()), dW)

# %% [markdown]
# ## 연습 문제
#
# 1. 쇼핑 그래프에서 사과를 개당 90원에 4개 산다면? 실행하기 전에 `dOrange`를 먼저 예측해 보세요.
# 2. 세금을 매기기 전에 50원을 할인해 주는 노드를 추가해 보세요. 그 노드의 기울기는 얼마인가요?
# 3. 나눗셈 노드 `MyDivide`($out = x / y$)를 backward까지 구현하고, 수치 미분으로 검사해 보세요.
# 4. 예제 4에서 `dW`는 왜 외적일까요? 원소 하나를 손으로 풀어 써 보세요.
#
# ## 스스로 확인하기
#
# `nnscratch.check`는 곱셈 노드와 덧셈 노드를 `MulLayer`, `AddLayer`라는 이름으로 알고 있습니다. 아래
# 셀은 여러분이 만든 `MyMul`과 `MyAdd`에 이 이름만 붙여서(클래스 내용은 그대로입니다) 순전파, 수치 미분과
# 비교한 역전파, 그리고 `dout`을 건드리지 않는지를 검사합니다. `MyMul.backward`에서 `self.x`와 `self.y`를
# 바꿔 놓고 다시 실행해 보세요.

# %% tags=["check-yourself"]
class MulLayer(MyMul):
    pass


class AddLayer(MyAdd):
    pass


for mine in [MulLayer, AddLayer]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
