// The 68-point mean face the face landmarks are placed from (no DOM, no three.js).

/**
 * OpenFace's 68-point 3D mean face (the iBUG 300-W layout: jaw 0–16, brows 17–26, nose 27–35, eyes 36–47,
 * lips 48–67), millimetres, as the widely used `model_points_68` table writes it: x towards the image's right
 * for a face seen from the front (the subject's left), y down, z towards the viewer. Point 0 is the subject's
 * right jaw, 36–41 the right eye, 42–47 the left eye.
 */
const OPENFACE_MEAN_FACE_MM: readonly (readonly [number, number, number])[] = [
  [-73.393523, -29.801432, -47.667532],
  [-72.775014, -10.949766, -45.909403],
  [-70.533638, 7.929818, -44.84258],
  [-66.850058, 26.07428, -43.141114],
  [-59.790187, 42.56439, -38.635298],
  [-48.368973, 56.48108, -30.750622],
  [-34.121101, 67.246992, -18.456453],
  [-17.875411, 75.056892, -3.609035],
  [0.098749, 77.061286, 0.881698],
  [17.477031, 74.758448, -5.181201],
  [32.648966, 66.929021, -19.176563],
  [46.372358, 56.311389, -30.77057],
  [57.34348, 42.419126, -37.628629],
  [64.388482, 25.45588, -40.886309],
  [68.212038, 6.990805, -42.281449],
  [70.486405, -11.666193, -44.142567],
  [71.375822, -30.365191, -47.140426],
  [-61.119406, -49.361602, -14.254422],
  [-51.287588, -58.769795, -7.268147],
  [-37.8048, -61.996155, -0.442051],
  [-24.022754, -61.033399, 6.606501],
  [-11.635713, -56.686759, 11.967398],
  [12.056636, -57.391033, 12.051204],
  [25.106256, -61.902186, 7.315098],
  [38.338588, -62.777713, 1.022953],
  [51.191007, -59.302347, -5.349435],
  [60.053851, -50.190255, -11.615746],
  [0.65394, -42.19379, 13.380835],
  [0.804809, -30.993721, 21.150853],
  [0.992204, -19.944596, 29.284036],
  [1.226783, -8.414541, 36.94806],
  [-14.772472, 2.598255, 20.132003],
  [-7.180239, 4.751589, 23.536684],
  [0.55592, 6.5629, 25.944448],
  [8.272499, 4.661005, 23.695741],
  [15.214351, 2.643046, 20.858157],
  [-46.04729, -37.471411, -7.037989],
  [-37.674688, -42.73051, -3.021217],
  [-27.883856, -42.711517, -1.353629],
  [-19.648268, -36.754742, 0.111088],
  [-28.272965, -35.134493, 0.147273],
  [-38.082418, -34.919043, -1.476612],
  [19.265868, -37.032306, 0.665746],
  [27.894191, -43.342445, -0.24766],
  [37.437529, -43.110822, -1.696435],
  [45.170805, -38.086515, -4.894163],
  [38.196454, -35.532024, -0.282961],
  [28.764989, -35.484289, 1.172675],
  [-28.916267, 28.612716, 2.24031],
  [-17.533194, 22.172187, 15.934335],
  [-6.68459, 19.029051, 22.611355],
  [0.381001, 20.721118, 23.748437],
  [8.375443, 19.03546, 22.721995],
  [18.876618, 22.394109, 15.610679],
  [28.794412, 28.079924, 3.217393],
  [19.057574, 36.298248, 14.987997],
  [8.956375, 39.634575, 22.554245],
  [0.381549, 40.395647, 23.591626],
  [-7.428895, 39.836405, 22.406106],
  [-18.160634, 36.677899, 15.121907],
  [-24.37749, 28.677771, 4.785684],
  [-6.897633, 25.475976, 20.893742],
  [0.340663, 26.014269, 22.220479],
  [8.444722, 25.326198, 21.02552],
  [24.474473, 28.323008, 5.712776],
  [8.449166, 30.596216, 20.671489],
  [0.205322, 31.408738, 21.90367],
  [-7.198266, 30.844876, 20.328022],
];

const mean = (from: number, to: number, axis: 0 | 1) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += OPENFACE_MEAN_FACE_MM[i]![axis];
  return sum / (to - from);
};
const rightEyeX = mean(36, 42, 0);
const leftEyeX = mean(42, 48, 0);
const eyesY = (mean(36, 42, 1) + mean(42, 48, 1)) / 2;

/** Distance between the template's eye centres (the means of each eye's six points), mm (≈ 66). */
export const FACE_TEMPLATE_EYE_DISTANCE_MM = leftEyeX - rightEyeX;

/**
 * The template in the head's frame: [u, v] in mm, u towards the avatar's left (+X at rest), v up, from the
 * midpoint of the eye centres. Depth is not kept: the vertex choice looks at the face from the front.
 */
export const FACE_TEMPLATE_MM: readonly (readonly [number, number])[] = OPENFACE_MEAN_FACE_MM.map(
  ([x, y]) => [x - (leftEyeX + rightEyeX) / 2, eyesY - y] as const,
);

/**
 * How an expression moves a landmark's vertex, used to tell the lips (and lids) apart where they touch at rest:
 * `drops` with the expression (the lower lip with "aa", the upper lid with "blink"), `stays` (the upper lip,
 * the lower lid), or no rule.
 */
export type LandmarkMotion = { expression: 'aa' | 'blink'; rule: 'drops' | 'stays' } | null;

const LOWER_LIP = new Set([55, 56, 57, 58, 59, 65, 66, 67]);
const UPPER_LIP = new Set([49, 50, 51, 52, 53, 61, 62, 63]);
const UPPER_LID = new Set([37, 38, 43, 44]);
const LOWER_LID = new Set([40, 41, 46, 47]);

/** The motion rule of landmark `i` (0–67). */
export function landmarkMotion(i: number): LandmarkMotion {
  if (LOWER_LIP.has(i)) return { expression: 'aa', rule: 'drops' };
  if (UPPER_LIP.has(i)) return { expression: 'aa', rule: 'stays' };
  if (UPPER_LID.has(i)) return { expression: 'blink', rule: 'drops' };
  if (LOWER_LID.has(i)) return { expression: 'blink', rule: 'stays' };
  return null;
}

/** The nose tip (30): the frontmost vertex near it, not the nearest in the front view. */
export const NOSE_TIP_LANDMARK = 30;
