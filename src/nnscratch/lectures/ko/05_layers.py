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
# # 5강. 계층을 클래스로: Affine, ReLU, Sigmoid, SoftmaxWithLoss
#
# 4강에서는 노드 하나하나가 `forward`와 `backward`를 가진 작은 클래스였습니다. 신경망도 똑같이 만듭니다.
# 다만 노드 하나가 이제 **계층**(layer) 하나이고, 샘플 $N$개짜리 배치를 한꺼번에 처리합니다. 앞으로 쓰는
# 기호: $N$ 샘플 수, $D$ 입력 특징 수, $H$ 은닉 유닛 수, $C$ 클래스 수.
#
# 이번 강의에서는 네 가지 계층을 직접 구현하고, 하나씩 수치 미분으로 검사한 다음, 여러분이 만든 계층만으로
# 신경망을 돌려 봅니다.

# %%
import inspect

import numpy as np

import nnscratch
from nnscratch import Affine, Relu, Sequential, SoftmaxWithLoss, numerical_gradient
from nnscratch.functional import softmax
from nnscratch.layers import Layer

rng = np.random.default_rng(0)

# %% [markdown]
# ## ReLU 계층
#
# 순전파: $out = \max(0, x)$. 역전파: $x > 0$인 곳은 기울기를 그대로 흘려보내고, 나머지는 막습니다.
# 그래서 순전파 때 *어디가* 0 이하였는지를 마스크(True/False 배열)로 기억해 두었다가 역전파에서 씁니다.
# 호출한 쪽의 배열인 `dout`에 직접 쓰지 않고 새 배열을 돌려준다는 점도 눈여겨보세요.

# %%
class MyRelu(Layer):
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


relu = MyRelu()
x = np.array([[1.0, -0.5], [-2.0, 3.0]])
print(relu.forward(x))
print(relu.backward(np.ones_like(x)))

# %% [markdown]
# ## Sigmoid 계층
#
# 순전파: $y = \frac{1}{1 + e^{-x}}$. 역전파: $dx = dout \cdot y(1 - y)$. 그래서 이 계층은 입력이 아니라
# 출력 $y$를 기억해 둡니다.

# %%
class MySigmoid(Layer):
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


# %% [markdown]
# ## Affine 계층
#
# 순전파: $out = xW + b$, 여기서 $x$는 (N, D), $W$는 (D, H), $b$는 (H,). 역전파를 코드의 이름 그대로 쓰면:
#
# - `dx = dout @ W.T`  (N, D)
# - `dW = x.T @ dout`  (D, H)
# - `db = dout.sum(axis=0)`  (H,): 편향은 모든 행에 더해졌으므로 기울기도 배치 방향으로 더합니다.
#
# 매개변수가 있는 계층은 `param_names`에 그 이름을 적어 두고, `backward` 뒤에는 `dW`, `db`에 기울기를
# 담아 둡니다. 신경망은 이것을 보고 매개변수와 기울기를 찾습니다.

# %%
class MyAffine(Layer):
    param_names = ("W", "b")
    weight_names = ("W",)

    def __init__(self, W, b):
        super().__init__()
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


# %% [markdown]
# ## SoftmaxWithLoss 계층
#
# 소프트맥스와 교차 엔트로피 오차를 한 계층으로 묶는 이유는 역전파가 놀랄 만큼 깔끔해지기 때문입니다.
# $dx = \frac{y - t}{N}$, 즉 예측 확률에서 원-핫 정답을 빼고 배치 크기로 나눈 값입니다.

# %%
class MySoftmaxWithLoss(Layer):
    def forward(self, x, t):
        self.y = softmax(x)
        self.t = np.eye(x.shape[1])[t]
        return float(-np.sum(self.t * np.log(self.y + 1e-12)) / x.shape[0])

    def backward(self, dout=1.0):
        return dout * (self.y - self.t) / self.y.shape[0]


# %% [markdown]
# 패키지의 계층도 하는 일은 같습니다. 다만 입력 검사와 더 다양한 모양의 입력을 지원합니다. 하나 읽어 봅시다.

# %%
print(inspect.getsource(Affine.backward))

# %% [markdown]
# ## 계층 하나 검사하기
#
# 계층의 역전파를 검사하려면 임의의 상류 기울기 `dout`을 하나 정하고, `backward(dout)`과
# $\sum out \cdot dout$의 수치 미분을 비교합니다. 둘은 일치해야 하고, 판단은 상대 오차
# $\frac{\lVert a - b \rVert}{\lVert a \rVert + \lVert b \rVert}$로 합니다. $10^{-8}$ 안팎이거나 그보다 작으면 됩니다.

# %%
def relative_error(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


def check_layer(layer, x):
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    dx_num = numerical_gradient(lambda _: np.sum(layer.forward(x) * dout), x)
    return relative_error(dx, dx_num)


x = rng.normal(size=(4, 5))
affine = MyAffine(rng.normal(size=(5, 3)), rng.normal(size=3))
for name, layer in [("MyRelu", MyRelu()), ("MySigmoid", MySigmoid()), ("MyAffine", affine)]:
    error = check_layer(layer, x)
    print(f"{name:10s} dx relative error {error:.1e}")
    assert error < 1e-7

# %% [markdown]
# ## 우리 계층과 패키지 계층 비교
#
# 같은 가중치, 같은 입력이라면 순전파 결과와 모든 기울기가 같아야 합니다.

# %%
W1, b1 = 0.1 * rng.normal(size=(5, 4)), np.zeros(4)
W2, b2 = 0.1 * rng.normal(size=(4, 3)), np.zeros(3)
t = np.array([0, 2, 1, 2])

ours = Sequential(MyAffine(W1.copy(), b1.copy()), MyRelu(), MyAffine(W2.copy(), b2.copy()), loss=MySoftmaxWithLoss())
theirs = Sequential(Affine(W1.copy(), b1.copy()), Relu(), Affine(W2.copy(), b2.copy()), loss=SoftmaxWithLoss())
print("loss ours", round(ours.loss(x, t), 6), " nnscratch", round(theirs.loss(x, t), 6))
g_ours, g_theirs = ours.gradient(x, t), theirs.gradient(x, t)
for name in g_theirs:
    print(f"{name:11s} max difference {np.abs(g_ours[name] - g_theirs[name]).max():.1e}")
    assert np.allclose(g_ours[name], g_theirs[name])

# %% [markdown]
# ## 연습 문제
#
# 1. `MyTanh`(역전파: $dout \cdot (1 - y^2)$)를 만들고 `check_layer`로 검사해 보세요.
# 2. 일부러 `MyAffine.backward`를 망가뜨려 보세요. `dx`에서 `.T`를 빼먹거나, `db`에 `sum` 대신 `mean`을
#    써 보세요. 검사 결과는 어떻게 나오나요? 어떤 오류 메시지가 나오나요?
# 3. `MyAffine`은 2차원 입력만 받습니다. 순전파에서 평탄화하고 역전파에서 `dx`의 모양을 되돌려서
#    (N, 28, 28) 모양의 이미지도 받게 만들어 보세요.
# 4. 로그 안에 `1e-12`를 더하는 이유는 무엇일까요? 빼고 나서 1000, -1000 같은 점수를 넣어 보세요.
#
# ## 스스로 확인하기
#
# 아래 셀은 여러분이 만든 계층에 `nnscratch.check`가 아는 이름을 붙이고, 각 계층을 패키지의 계층과
# 비교합니다. 순전파, 수치 미분과 비교한 모든 기울기, 입력을 바꾸지 않는지, 샘플이 하나뿐인 배치까지
# 확인합니다. 패키지의 계층이 받는 입력을 똑같이 받도록 두 가지를 보탰습니다. `Affine`은 이미지 배치를
# 평탄화하고(연습 문제 3), `SoftmaxWithLoss`는 정답 레이블을 클래스 번호뿐 아니라 원-핫 인코딩으로도
# 받습니다. 위의 계층 하나를 일부러 망가뜨리고(연습 문제 2) 다시 실행해 보세요.

# %% tags=["check-yourself"]
class Relu(MyRelu):
    pass


class Sigmoid(MySigmoid):
    pass


class Affine(MyAffine):
    def forward(self, x):
        self.x_shape = x.shape  # images (N, 28, 28) are flattened to (N, 784) and dx gets the shape back
        return super().forward(x.reshape(x.shape[0], -1))

    def backward(self, dout):
        return super().backward(dout).reshape(self.x_shape)


class SoftmaxWithLoss(MySoftmaxWithLoss):
    def forward(self, x, t):
        if t.ndim == x.ndim:  # one-hot labels, as in the book: turn them into class numbers
            t = t.argmax(axis=1)
        return super().forward(x, t)


for mine in [Relu, Sigmoid, Affine, SoftmaxWithLoss]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
