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
# # 8강. Iris: 소프트맥스 층 하나 학습시키기
#
# 2강에서는 가중치가 주어진 층에 붓꽃 한 송이를 통과시켜 보았습니다. 이번에는 그 가중치를 붓꽃 150송이로부터
# 학습합니다. 송이마다 측정값 4개(꽃받침 길이와 너비, 꽃잎 길이와 너비, 단위 cm), 품종은 3가지입니다.
# 모델은 4x3 층 하나에 소프트맥스, 세상에서 가장 작은 신경망입니다. 가중치가 자리를 잡아 가는 모습을 지켜보고,
# 배치 크기가 무엇을 바꾸는지 살펴봅니다.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import SGD, SoftmaxClassifier
from nnscratch.data import load_iris, stratified_split
from nnscratch.data.iris import CLASSES, FEATURES
from nnscratch.train import Trainer

# %% [markdown]
# ## 데이터
#
# 품종마다 50송이씩입니다. 꽃잎 길이와 꽃잎 너비만 그려 봐도 setosa는 나머지 둘과 확실히 갈리고,
# versicolor와 virginica는 조금 겹칩니다.

# %%
x, t = load_iris()
print(x.shape, t.shape, np.bincount(t))
for k, name in enumerate(CLASSES):
    plt.scatter(x[t == k, 2], x[t == k, 3], label=name, s=15)
plt.xlabel(FEATURES[2])
plt.ylabel(FEATURES[3])
plt.legend()
plt.show()

# %% [markdown]
# 30송이(품종마다 10송이)는 시험용으로 떼어 두고, 나머지 120송이로 학습합니다.

# %%
train, test = stratified_split(t, test_fraction=0.2, seed=0)
x_train, t_train, x_test, t_test = x[train], t[train], x[test], t[test]
print(len(train), "training rows,", len(test), "test rows")

# %% [markdown]
# ## 학습하면서 1000 에폭마다 가중치 출력하기
#
# 120행 전체를 배치 하나로 쓰므로 1 에폭은 기울기 갱신 한 번입니다. 학습률 0.01인 SGD로 5000 에폭을 학습하고,
# 1000 에폭마다 가중치 행렬 $W$(특징 4 x 클래스 3)를 출력합니다. 숫자가 점점 움직이지 않게 되는 것을 지켜보세요.

# %%
epochs = 5000
model = SoftmaxClassifier(4, 3, seed=0)


def print_weights(record, trainer):
    if record["epoch"] % 1000 == 0:
        print(f"epoch {record['epoch']}: loss {record['loss']:.4f}, "
              f"train accuracy {record['train_accuracy']:.4f}, test accuracy {record['test_accuracy']:.4f}")
        print("W =\n", np.array2string(model.params["W"], precision=4), "\n")


trainer = Trainer(model, SGD(0.01), batch_size=120, seed=0, progress="none", on_epoch_end=print_weights)
history = trainer.fit(x_train, t_train, epochs=epochs, validation_data=(x_test, t_test))
assert history[-1]["test_accuracy"] >= 0.95

# %% [markdown]
# 가중치는 열 단위로 읽습니다. 열 하나가 품종 하나의 점수를 냅니다. 꽃잎 특징(3, 4행)에는 setosa와 virginica에
# 부호가 반대인 큰 가중치가 붙어 있습니다. 꽃잎이 길고 넓을수록 virginica 쪽, setosa의 반대쪽이라는 뜻입니다.

# %%
plt.plot([r["epoch"] for r in history], [r["loss"] for r in history])
plt.xlabel("epoch")
plt.ylabel("loss")
plt.title("Iris: softmax layer, full batch")
plt.show()

# %% [markdown]
# ## 배치 크기와 에폭
#
# 1 에폭은 "훈련 데이터를 한 번씩 다 본 것"입니다. 배치 크기가 $B$이면 1 에폭은 $\lceil 120 / B \rceil$번의
# 갱신입니다. 배치가 작을수록 에폭당 (더 들쭉날쭉한) 갱신을 더 많이 하므로, 필요한 에폭 수는 줄지만 에폭당
# 계산량은 늘어납니다.

# %%
short = 500
curves = {}
for batch_size in (120, 30, 10):
    m = SoftmaxClassifier(4, 3, seed=0)
    h = Trainer(m, SGD(0.01), batch_size=batch_size, seed=0, progress="none").fit(x_train, t_train, epochs=short)
    curves[batch_size] = h
    steps = -(-120 // batch_size)
    print(f"batch {batch_size:3d}: {steps:2d} steps/epoch, loss after {short} epochs {h[-1]['loss']:.4f}")
for batch_size, h in curves.items():
    plt.plot([r["loss"] for r in h], label=f"batch size {batch_size}")
plt.xlabel("epoch")
plt.ylabel("loss")
plt.legend()
plt.show()

# %% [markdown]
# ## 연습 문제
#
# 1. 학습률 0.1과 1.0으로 학습해 보세요. 그래도 5000 에폭이 필요할까요?
# 2. 꽃받침 특징 두 개만 써 보세요. 정확도가 얼마나 떨어지고, 왜 그럴까요?
# 3. 배치 크기별 손실을 에폭이 아니라 *갱신 횟수*에 대해 그려 보세요.
# 4. 학습한 $W$와 $b$를 2강의 순전파에 넣고 붓꽃 $(6.3, 2.7, 4.9, 1.8)$의 확률을 구해 보세요. 이제 얼마가 나오나요?
#
# ## 스스로 확인하기
#
# 위에서 1000 에폭마다 가중치를 살펴보는 동안, 트레이너의 `SGD`는 가중치를 매번
# $-\eta \cdot \text{기울기}$만큼 옮겼습니다. 이 갱신 규칙을 모든 옵티마이저가 따르는 약속인
# `update(params, grads)`를 가진 클래스로 직접 작성해 보세요. `nnscratch.check`는 패키지의 규칙과 다섯 번의
# 갱신을 비교하고, 배열을 제자리에서 바꾸는지, 간단한 2차 함수의 손실이 실제로 줄어드는지 확인합니다.

# %% tags=["check-yourself"]
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


report = nnscratch.check(SGD)
print(report)
assert report.passed, "SGD failed a check: read its FAIL or ERROR rows above, fix it and run again"
