import { defineMessages } from '../i18n.js';

/** The chapter-4 view: gradient descent on x0² + x1² (section 4.4.1, figure 4-10). */
export const chapter4Messages = defineMessages({
  en: {
    heading: 'Chapter 4: neural network learning',
    gdHeading: 'Gradient descent on f(x0, x1) = x0² + x1²',
    figure: 'figure {n}',
    gdHint:
      'From (−3, 4), each step moves x by −η·∇f(x), the gradient taken numerically as the book’s numerical_gradient. The minimum is at (0, 0). The points are where each step starts, as the book’s figure.',
    learningRate: 'Learning rate η',
    steps: 'Steps',
    reset: 'Reset to the book’s (η 0.1, 20 steps)',
    plotLabel: 'the path of gradient descent from (−3, 4)',
    end: 'After {steps} steps: x = ({x0}, {x1}), f(x) = {f}',
    computing: 'Computing…',
    tooLarge:
      'Too large a learning rate diverges (the book tries 10.0); too small hardly moves (1e-10). With 1.0 each step jumps to the opposite point: (−3, 4) → (3, −4) → (−3, 4) …',
    failed: 'The experiment failed: {message}',
  },
  ko: {
    heading: '4장: 신경망 학습',
    gdHeading: 'f(x0, x1) = x0² + x1²에 대한 경사 하강법',
    figure: '그림 {n}',
    gdHint:
      '(−3, 4)에서 출발해 한 번 갱신할 때마다 x를 −η·∇f(x)만큼 옮깁니다. 기울기는 책의 numerical_gradient처럼 수치 미분으로 구합니다. 최솟값은 (0, 0)입니다. 점은 책의 그림처럼 각 갱신을 시작하는 위치입니다.',
    learningRate: '학습률 η',
    steps: '갱신 횟수',
    reset: '책의 설정으로 (η 0.1, 20회)',
    plotLabel: '(−3, 4)에서 출발한 경사 하강법의 경로',
    end: '{steps}회 갱신 후: x = ({x0}, {x1}), f(x) = {f}',
    computing: '계산 중…',
    tooLarge:
      '학습률이 너무 크면 발산하고(책에서는 10.0), 너무 작으면 거의 움직이지 않습니다(1e-10). 1.0이면 매번 반대편 점으로 뜁니다: (−3, 4) → (3, −4) → (−3, 4) …',
    failed: '실험이 실패했습니다: {message}',
  },
  ja: {
    heading: '4章：ニューラルネットワークの学習',
    gdHeading: 'f(x0, x1) = x0² + x1² の勾配降下法',
    figure: '図{n}',
    gdHint:
      '(−3, 4) から始め、1回の更新ごとに x を −η·∇f(x) だけ動かします。勾配は本の numerical_gradient と同じく数値微分で求めます。最小値は (0, 0) です。点は本の図と同じく、各更新を始める位置です。',
    learningRate: '学習率 η',
    steps: '更新回数',
    reset: '本の設定に戻す（η 0.1、20回）',
    plotLabel: '(−3, 4) から始めた勾配降下法の経路',
    end: '{steps}回の更新後：x = ({x0}, {x1})、f(x) = {f}',
    computing: '計算中…',
    tooLarge:
      '学習率が大きすぎると発散し（本では 10.0）、小さすぎるとほとんど動きません（1e-10）。1.0 では毎回反対側の点へ跳びます：(−3, 4) → (3, −4) → (−3, 4) …',
    failed: '実験に失敗しました：{message}',
  },
});
