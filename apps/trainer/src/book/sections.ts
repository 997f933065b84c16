/**
 * The sections of chapters 2–8 of the book, with their titles as the Korean edition
 * (밑바닥부터 시작하는 딥러닝, 한빛미디어) and the Japanese original (ゼロから作るDeep Learning,
 * オライリー・ジャパン) print them, and an English title for each. The section numbers are the
 * same in both editions. `scratchnet book --list --lang ko` and the chapter guides of
 * README.ko.md, README.ja.md and docs/book-map.md are made from this table.
 *
 * Every numbered heading of chapters 2–8 is here, down to the third level (4.2.4), and each
 * chapter's closing summary (2.7, 3.7, 4.6, 5.8, 6.6, 7.8, 8.6). The Korean titles are those of
 * the translator's chapter READMEs (github.com/WegraLee/deep-learning-from-scratch, `chNN/
 * README.md`), checked against readers' notes of the printed book; where the two differ the
 * printed ones are kept (3.3.2 and 3.3.3: the READMEs have 행렬의 내적 and 신경망의 내적, the
 * later printings 행렬의 곱 and 신경망에서의 행렬 곱). The Japanese titles keep the book's
 * full-width ／, ？, ［］ and （）.
 */

export const BOOK_LANGUAGES = ['en', 'ko', 'ja'] as const;
export type BookLanguage = (typeof BOOK_LANGUAGES)[number];

export interface BookSection {
  /** '2.3.2'; a chapter is '2'. */
  number: string;
  title: Record<BookLanguage, string>;
}

/** [number, English, Korean, Japanese], in the book's order. */
const TABLE: readonly (readonly [string, string, string, string])[] = [
  ['2', 'Perceptrons', '퍼셉트론', 'パーセプトロン'],
  ['2.1', 'What is a perceptron?', '퍼셉트론이란?', 'パーセプトロンとは'],
  ['2.2', 'Simple logic circuits', '단순한 논리 회로', '単純な論理回路'],
  ['2.2.1', 'The AND gate', 'AND 게이트', 'ANDゲート'],
  ['2.2.2', 'The NAND and OR gates', 'NAND 게이트와 OR 게이트', 'NANDゲートとORゲート'],
  ['2.3', 'Implementing perceptrons', '퍼셉트론 구현하기', 'パーセプトロンの実装'],
  ['2.3.1', 'A simple implementation', '간단한 구현부터', '簡単な実装'],
  ['2.3.2', 'Introducing weights and bias', '가중치와 편향 도입', '重みとバイアスの導入'],
  [
    '2.3.3',
    'Implementation with weights and bias',
    '가중치와 편향 구현하기',
    '重みとバイアスによる実装',
  ],
  ['2.4', 'Limits of perceptrons', '퍼셉트론의 한계', 'パーセプトロンの限界'],
  ['2.4.1', 'The XOR gate', '도전! XOR 게이트', 'XORゲート'],
  ['2.4.2', 'Linear and nonlinear', '선형과 비선형', '線形と非線形'],
  ['2.5', 'Multilayer perceptrons', '다층 퍼셉트론이 출동한다면', '多層パーセプトロン'],
  ['2.5.1', 'Combining existing gates', '기존 게이트 조합하기', '既存ゲートの組み合わせ'],
  ['2.5.2', 'Implementing the XOR gate', 'XOR 게이트 구현하기', 'XORゲートの実装'],
  ['2.6', 'From NAND to a computer', 'NAND에서 컴퓨터까지', 'NANDからコンピュータへ'],
  ['2.7', 'Summary', '정리', 'まとめ'],

  ['3', 'Neural networks', '신경망', 'ニューラルネットワーク'],
  [
    '3.1',
    'From perceptrons to neural networks',
    '퍼셉트론에서 신경망으로',
    'パーセプトロンからニューラルネットワークへ',
  ],
  ['3.1.1', 'An example of a neural network', '신경망의 예', 'ニューラルネットワークの例'],
  ['3.1.2', 'Reviewing the perceptron', '퍼셉트론 복습', 'パーセプトロンの復習'],
  ['3.1.3', 'Enter the activation function', '활성화 함수의 등장', '活性化関数の登場'],
  ['3.2', 'Activation functions', '활성화 함수', '活性化関数'],
  ['3.2.1', 'The sigmoid function', '시그모이드 함수', 'シグモイド関数'],
  ['3.2.2', 'Implementing the step function', '계단 함수 구현하기', 'ステップ関数の実装'],
  ['3.2.3', 'The graph of the step function', '계단 함수의 그래프', 'ステップ関数のグラフ'],
  [
    '3.2.4',
    'Implementing the sigmoid function',
    '시그모이드 함수 구현하기',
    'シグモイド関数の実装',
  ],
  [
    '3.2.5',
    'Comparing the sigmoid and step functions',
    '시그모이드 함수와 계단 함수 비교',
    'シグモイド関数とステップ関数の比較',
  ],
  ['3.2.6', 'Nonlinear functions', '비선형 함수', '非線形関数'],
  ['3.2.7', 'The ReLU function', 'ReLU 함수', 'ReLU関数'],
  ['3.3', 'Calculating with multidimensional arrays', '다차원 배열의 계산', '多次元配列の計算'],
  ['3.3.1', 'Multidimensional arrays', '다차원 배열', '多次元配列'],
  ['3.3.2', 'Matrix multiplication', '행렬의 곱', '行列の積'],
  [
    '3.3.3',
    'Matrix multiplication in a neural network',
    '신경망에서의 행렬 곱',
    'ニューラルネットワークの行列の積',
  ],
  [
    '3.4',
    'Implementing a three-layer neural network',
    '3층 신경망 구현하기',
    '3層ニューラルネットワークの実装',
  ],
  ['3.4.1', 'Notation', '표기법 설명', '記号の確認'],
  [
    '3.4.2',
    'Passing signals from layer to layer',
    '각 층의 신호 전달 구현하기',
    '各層における信号伝達の実装',
  ],
  ['3.4.3', 'The implementation in full', '구현 정리', '実装のまとめ'],
  ['3.5', 'Designing the output layer', '출력층 설계하기', '出力層の設計'],
  [
    '3.5.1',
    'The identity and softmax functions',
    '항등 함수와 소프트맥스 함수 구현하기',
    '恒等関数とソフトマックス関数',
  ],
  [
    '3.5.2',
    'Caveats in implementing the softmax function',
    '소프트맥스 함수 구현 시 주의점',
    'ソフトマックス関数の実装上の注意',
  ],
  [
    '3.5.3',
    'Properties of the softmax function',
    '소프트맥스 함수의 특징',
    'ソフトマックス関数の特徴',
  ],
  ['3.5.4', 'The number of output neurons', '출력층의 뉴런 수 정하기', '出力層のニューロンの数'],
  ['3.6', 'Handwritten digit recognition', '손글씨 숫자 인식', '手書き数字認識'],
  ['3.6.1', 'The MNIST dataset', 'MNIST 데이터셋', 'MNISTデータセット'],
  [
    '3.6.2',
    'Inference with a neural network',
    '신경망의 추론 처리',
    'ニューラルネットワークの推論処理',
  ],
  ['3.6.3', 'Batch processing', '배치 처리', 'バッチ処理'],
  ['3.7', 'Summary', '정리', 'まとめ'],

  ['4', 'Neural network training', '신경망 학습', 'ニューラルネットワークの学習'],
  ['4.1', 'Learning from data', '데이터에서 학습한다!', 'データから学習する'],
  ['4.1.1', 'Data-driven', '데이터 주도 학습', 'データ駆動'],
  ['4.1.2', 'Training data and test data', '훈련 데이터와 시험 데이터', '訓練データとテストデータ'],
  ['4.2', 'Loss functions', '손실 함수', '損失関数'],
  ['4.2.1', 'Sum of squared errors', '평균 제곱 오차', '2乗和誤差'],
  ['4.2.2', 'Cross-entropy error', '교차 엔트로피 오차', '交差エントロピー誤差'],
  ['4.2.3', 'Mini-batch learning', '미니배치 학습', 'ミニバッチ学習'],
  [
    '4.2.4',
    'Implementing cross-entropy error for batches',
    '(배치용) 교차 엔트로피 오차 구현하기',
    '［バッチ対応版］交差エントロピー誤差の実装',
  ],
  [
    '4.2.5',
    'Why set a loss function?',
    '왜 손실 함수를 설정하는가?',
    'なぜ損失関数を設定するのか？',
  ],
  ['4.3', 'Numerical differentiation', '수치 미분', '数値微分'],
  ['4.3.1', 'Derivatives', '미분', '微分'],
  ['4.3.2', 'An example of numerical differentiation', '수치 미분의 예', '数値微分の例'],
  ['4.3.3', 'Partial derivatives', '편미분', '偏微分'],
  ['4.4', 'Gradients', '기울기', '勾配'],
  ['4.4.1', 'The gradient method', '경사법(경사 하강법)', '勾配法'],
  [
    '4.4.2',
    'Gradients for a neural network',
    '신경망에서의 기울기',
    'ニューラルネットワークに対する勾配',
  ],
  ['4.5', 'Implementing a training algorithm', '학습 알고리즘 구현하기', '学習アルゴリズムの実装'],
  [
    '4.5.1',
    'A two-layer neural network class',
    '2층 신경망 클래스 구현하기',
    '2層ニューラルネットワークのクラス',
  ],
  ['4.5.2', 'Implementing mini-batch training', '미니배치 학습 구현하기', 'ミニバッチ学習の実装'],
  ['4.5.3', 'Evaluating with test data', '시험 데이터로 평가하기', 'テストデータで評価'],
  ['4.6', 'Summary', '정리', 'まとめ'],

  ['5', 'Backpropagation', '오차역전파법', '誤差逆伝播法'],
  ['5.1', 'Computational graphs', '계산 그래프', '計算グラフ'],
  ['5.1.1', 'Solving problems with computational graphs', '계산 그래프로 풀다', '計算グラフで解く'],
  ['5.1.2', 'Local computation', '국소적 계산', '局所的な計算'],
  [
    '5.1.3',
    'Why solve with computational graphs?',
    '왜 계산 그래프로 푸는가?',
    'なぜ計算グラフで解くのか？',
  ],
  ['5.2', 'The chain rule', '연쇄법칙', '連鎖律'],
  [
    '5.2.1',
    'Backward propagation in a computational graph',
    '계산 그래프에서의 역전파',
    '計算グラフの逆伝播',
  ],
  ['5.2.2', 'What is the chain rule?', '연쇄법칙이란?', '連鎖律とは'],
  [
    '5.2.3',
    'The chain rule and computational graphs',
    '연쇄법칙과 계산 그래프',
    '連鎖律と計算グラフ',
  ],
  ['5.3', 'Backward propagation', '역전파', '逆伝播'],
  [
    '5.3.1',
    'Backward propagation through an addition node',
    '덧셈 노드의 역전파',
    '加算ノードの逆伝播',
  ],
  [
    '5.3.2',
    'Backward propagation through a multiplication node',
    '곱셈 노드의 역전파',
    '乗算ノードの逆伝播',
  ],
  ['5.3.3', 'The apple example', '사과 쇼핑의 예', 'リンゴの例'],
  ['5.4', 'Implementing simple layers', '단순한 계층 구현하기', '単純なレイヤの実装'],
  ['5.4.1', 'The multiplication layer', '곱셈 계층', '乗算レイヤの実装'],
  ['5.4.2', 'The addition layer', '덧셈 계층', '加算レイヤの実装'],
  [
    '5.5',
    'Implementing the activation function layers',
    '활성화 함수 계층 구현하기',
    '活性化関数レイヤの実装',
  ],
  ['5.5.1', 'The ReLU layer', 'ReLU 계층', 'ReLUレイヤ'],
  ['5.5.2', 'The Sigmoid layer', 'Sigmoid 계층', 'Sigmoidレイヤ'],
  [
    '5.6',
    'Implementing the Affine and Softmax layers',
    'Affine/Softmax 계층 구현하기',
    'Affine／Softmaxレイヤの実装',
  ],
  ['5.6.1', 'The Affine layer', 'Affine 계층', 'Affineレイヤ'],
  ['5.6.2', 'The Affine layer for batches', '배치용 Affine 계층', 'バッチ版Affineレイヤ'],
  ['5.6.3', 'The Softmax-with-Loss layer', 'Softmax-with-Loss 계층', 'Softmax-with-Lossレイヤ'],
  ['5.7', 'Implementing backpropagation', '오차역전파법 구현하기', '誤差逆伝播法の実装'],
  [
    '5.7.1',
    'The whole picture of neural network training',
    '신경망 학습의 전체 그림',
    'ニューラルネットワークの学習の全体図',
  ],
  [
    '5.7.2',
    'A neural network with backpropagation',
    '오차역전파법을 적용한 신경망 구현하기',
    '誤差逆伝播法に対応したニューラルネットワークの実装',
  ],
  [
    '5.7.3',
    'Checking the gradients of backpropagation',
    '오차역전파법으로 구한 기울기 검증하기',
    '誤差逆伝播法の勾配確認',
  ],
  [
    '5.7.4',
    'Training with backpropagation',
    '오차역전파법을 사용한 학습 구현하기',
    '誤差逆伝播法を使った学習',
  ],
  ['5.8', 'Summary', '정리', 'まとめ'],

  ['6', 'Training techniques', '학습 관련 기술들', '学習に関するテクニック'],
  ['6.1', 'Updating parameters', '매개변수 갱신', 'パラメータの更新'],
  ['6.1.1', 'The adventurer’s story', '모험가 이야기', '冒険家の話'],
  ['6.1.2', 'SGD', '확률적 경사 하강법(SGD)', 'SGD'],
  ['6.1.3', 'The weakness of SGD', 'SGD의 단점', 'SGDの欠点'],
  ['6.1.4', 'Momentum', '모멘텀', 'Momentum'],
  ['6.1.5', 'AdaGrad', 'AdaGrad', 'AdaGrad'],
  ['6.1.6', 'Adam', 'Adam', 'Adam'],
  [
    '6.1.7',
    'Which update method to use?',
    '어느 갱신 방법을 이용할 것인가?',
    'どの更新手法を用いるか？',
  ],
  [
    '6.1.8',
    'Comparing the update methods on MNIST',
    'MNIST 데이터셋으로 본 갱신 방법 비교',
    'MNISTデータセットによる更新手法の比較',
  ],
  ['6.2', 'Initial weight values', '가중치의 초깃값', '重みの初期値'],
  ['6.2.1', 'Initial weights of zero?', '초깃값을 0으로 하면?', '重みの初期値を0にする？'],
  [
    '6.2.2',
    'The distribution of activations in the hidden layers',
    '은닉층의 활성화값 분포',
    '隠れ層のアクティベーション分布',
  ],
  [
    '6.2.3',
    'Initial weights for ReLU',
    'ReLU를 사용할 때의 가중치 초깃값',
    'ReLUの場合の重みの初期値',
  ],
  [
    '6.2.4',
    'Comparing initial weights on MNIST',
    'MNIST 데이터셋으로 본 가중치 초깃값 비교',
    'MNISTデータセットによる重み初期値の比較',
  ],
  ['6.3', 'Batch normalization', '배치 정규화', 'Batch Normalization'],
  [
    '6.3.1',
    'The batch normalization algorithm',
    '배치 정규화 알고리즘',
    'Batch Normalizationのアルゴリズム',
  ],
  ['6.3.2', 'The effect of batch normalization', '배치 정규화의 효과', 'Batch Normalizationの評価'],
  ['6.4', 'Regularization', '바른 학습을 위해', '正則化'],
  ['6.4.1', 'Overfitting', '오버피팅', '過学習'],
  ['6.4.2', 'Weight decay', '가중치 감소', 'Weight decay'],
  ['6.4.3', 'Dropout', '드롭아웃', 'Dropout'],
  [
    '6.5',
    'Validating hyperparameters',
    '적절한 하이퍼파라미터 값 찾기',
    'ハイパーパラメータの検証',
  ],
  ['6.5.1', 'Validation data', '검증 데이터', '検証データ'],
  ['6.5.2', 'Optimizing hyperparameters', '하이퍼파라미터 최적화', 'ハイパーパラメータの最適化'],
  [
    '6.5.3',
    'Implementing hyperparameter optimization',
    '하이퍼파라미터 최적화 구현하기',
    'ハイパーパラメータ最適化の実装',
  ],
  ['6.6', 'Summary', '정리', 'まとめ'],

  ['7', 'Convolutional neural networks', '합성곱 신경망(CNN)', '畳み込みニューラルネットワーク'],
  ['7.1', 'The overall structure', '전체 구조', '全体の構造'],
  ['7.2', 'The convolution layer', '합성곱 계층', '畳み込み層'],
  [
    '7.2.1',
    'The problem with fully connected layers',
    '완전연결 계층의 문제점',
    '全結合層の問題点',
  ],
  ['7.2.2', 'Convolution', '합성곱 연산', '畳み込み演算'],
  ['7.2.3', 'Padding', '패딩', 'パディング'],
  ['7.2.4', 'Stride', '스트라이드', 'ストライド'],
  [
    '7.2.5',
    'Convolution of three-dimensional data',
    '3차원 데이터의 합성곱 연산',
    '3次元データの畳み込み演算',
  ],
  ['7.2.6', 'Thinking in blocks', '블록으로 생각하기', 'ブロックで考える'],
  ['7.2.7', 'Batch processing', '배치 처리', 'バッチ処理'],
  ['7.3', 'The pooling layer', '풀링 계층', 'プーリング層'],
  ['7.3.1', 'Characteristics of pooling layers', '풀링 계층의 특징', 'プーリング層の特徴'],
  [
    '7.4',
    'Implementing the convolution and pooling layers',
    '합성곱/풀링 계층 구현하기',
    'Convolution／Poolingレイヤの実装',
  ],
  ['7.4.1', 'Four-dimensional arrays', '4차원 배열', '4次元配列'],
  ['7.4.2', 'Expanding data with im2col', 'im2col로 데이터 전개하기', 'im2colによる展開'],
  [
    '7.4.3',
    'Implementing the convolution layer',
    '합성곱 계층 구현하기',
    'Convolutionレイヤの実装',
  ],
  ['7.4.4', 'Implementing the pooling layer', '풀링 계층 구현하기', 'Poolingレイヤの実装'],
  ['7.5', 'Implementing a CNN', 'CNN 구현하기', 'CNNの実装'],
  ['7.6', 'Visualizing a CNN', 'CNN 시각화하기', 'CNNの可視化'],
  [
    '7.6.1',
    'Visualizing the weights of the first layer',
    '1번째 층의 가중치 시각화하기',
    '1層目の重みの可視化',
  ],
  [
    '7.6.2',
    'Information extracted layer by layer',
    '층 깊이에 따른 추출 정보 변화',
    '階層構造による情報抽出',
  ],
  ['7.7', 'Representative CNNs', '대표적인 CNN', '代表的なCNN'],
  ['7.7.1', 'LeNet', 'LeNet', 'LeNet'],
  ['7.7.2', 'AlexNet', 'AlexNet', 'AlexNet'],
  ['7.8', 'Summary', '정리', 'まとめ'],

  ['8', 'Deep learning', '딥러닝', 'ディープラーニング'],
  ['8.1', 'Making the network deeper', '더 깊게', 'ネットワークをより深く'],
  ['8.1.1', 'Toward a deeper network', '더 깊은 신경망으로', 'よりディープなネットワークへ'],
  [
    '8.1.2',
    'Raising the recognition accuracy further',
    '정확도를 더 높이려면',
    'さらに認識精度を高めるには',
  ],
  ['8.1.3', 'Why make networks deeper', '깊게 하는 이유', '層を深くすることのモチベーション'],
  ['8.2', 'A short history of deep learning', '딥러닝의 초기 역사', 'ディープラーニングの小歴史'],
  ['8.2.1', 'ImageNet', '이미지넷', 'ImageNet'],
  ['8.2.2', 'VGG', 'VGG', 'VGG'],
  ['8.2.3', 'GoogLeNet', 'GoogLeNet', 'GoogLeNet'],
  ['8.2.4', 'ResNet', 'ResNet', 'ResNet'],
  ['8.3', 'Speeding up deep learning', '더 빠르게(딥러닝 고속화)', 'ディープラーニングの高速化'],
  ['8.3.1', 'Problems to work on', '풀어야 할 숙제', '取り組むべき問題'],
  ['8.3.2', 'Speeding up with GPUs', 'GPU를 활용한 고속화', 'GPUによる高速化'],
  ['8.3.3', 'Distributed training', '분산 학습', '分散学習'],
  ['8.3.4', 'Reducing the bit precision', '연산 정밀도와 비트 줄이기', '演算精度のビット削減'],
  ['8.4', 'Uses of deep learning', '딥러닝의 활용', 'ディープラーニングの実用例'],
  ['8.4.1', 'Object detection', '사물 검출', '物体検出'],
  ['8.4.2', 'Segmentation', '분할', 'セグメンテーション'],
  ['8.4.3', 'Generating image captions', '사진 캡션 생성', '画像キャプション生成'],
  ['8.5', 'The future of deep learning', '딥러닝의 미래', 'ディープラーニングの未来'],
  ['8.5.1', 'Image style transfer', '이미지 스타일(화풍) 변환', '画像スタイル変換'],
  ['8.5.2', 'Image generation', '이미지 생성', '画像生成'],
  ['8.5.3', 'Autonomous driving', '자율 주행', '自動運転'],
  [
    '8.5.4',
    'Deep Q-Network (reinforcement learning)',
    'Deep Q-Network(강화학습)',
    'Deep Q-Network（強化学習）',
  ],
  ['8.6', 'Summary', '정리', 'まとめ'],
];

export const BOOK_SECTIONS: readonly BookSection[] = TABLE.map(([number, en, ko, ja]) => ({
  number,
  title: { en, ko, ja },
}));

/**
 * Orders section numbers as the book does, part by part as numbers: '6.3' < '6.3.1' < '6.3.2' <
 * '6.4', and '2.9' < '2.10'. A sort comparator.
 */
export function compareSectionNumbers(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}

/** The section numbered `number` ('4.4.1'); throws for a number not in the table. */
export function bookSection(number: string): BookSection {
  const section = BOOK_SECTIONS.find((s) => s.number === number);
  if (!section) throw new Error(`no section ${number} in the book's table of contents`);
  return section;
}
