import { areaResolution, mostCommonSize, type TrainerDatasetInfo } from './trainer-dataset-info.js';

/**
 * Whether SimpleTuner finds this dataset's separate masks. It pairs a conditioning image with its training image
 * by the same path under each backend's `instance_data_dir`, extension included (`MultiAspectSampler.
 * get_conditioning_sample` in `simpletuner/helpers/multiaspect/sampler.py` joins the image's relative path onto the
 * conditioning folder), and the masks are always `.png`: so only PNG images find theirs. With WebP or JPEG images
 * the mask backend is left out and SimpleTuner trains unmasked (TRAINING.md says so).
 */
export function simpleTunerFindsMasks(info: TrainerDatasetInfo): boolean {
  return (
    info.maskMode === 'separate' &&
    info.maskDir !== null &&
    info.imageExtensions.every((extension) => extension === 'png')
  );
}

/**
 * A bghira SimpleTuner `--data_backend_config` file (keys of SimpleTuner's `documentation/DATALOADER.md`): a
 * local image backend with `caption_strategy: "textfile"` (SimpleTuner reads `.txt` only, and splits it into one
 * caption variant per line), `repeats` = kohya repeats − 1 (SimpleTuner's 0 means each image once), pixel-area
 * resolution with no cropping; separate masks as a `conditioning` backend of `conditioning_type: "mask"` linked by
 * `conditioning_data` (only when {@link simpleTunerFindsMasks}); regularisation images as a backend with
 * `is_regularisation_data` (SimpleTuner honours it for LyCORIS adapters); and the text-embed cache backend
 * SimpleTuner requires. Caches go under `cache/`. Paths resolve from SimpleTuner's working directory.
 */
export function makeSimpleTunerBackend(info: TrainerDatasetInfo): string {
  const masks = simpleTunerFindsMasks(info);
  const main = mostCommonSize(info.sizes);
  const resolution = areaResolution(main);
  const sizing = {
    resolution,
    resolution_type: 'pixel_area',
    minimum_image_size: Math.min(...info.sizes.flat(), resolution),
    crop: false,
  };
  const backends: Record<string, unknown>[] = [
    {
      id: 'vrm-lora-images',
      type: 'local',
      dataset_type: 'image',
      instance_data_dir: info.imageDir,
      caption_strategy: 'textfile',
      repeats: info.repeats - 1,
      ...sizing,
      cache_dir_vae: 'cache/vae/vrm-lora-images',
      ...(masks ? { conditioning_data: 'vrm-lora-masks' } : {}),
    },
  ];
  if (masks) {
    backends.push({
      id: 'vrm-lora-masks',
      type: 'local',
      dataset_type: 'conditioning',
      conditioning_type: 'mask',
      instance_data_dir: info.maskDir,
      ...sizing,
    });
  }
  if (info.regDir && info.reg) {
    backends.push({
      id: 'vrm-lora-regularisation',
      type: 'local',
      dataset_type: 'image',
      instance_data_dir: info.regDir,
      is_regularisation_data: true,
      ...(info.reg.captioned
        ? { caption_strategy: 'textfile' }
        : { caption_strategy: 'instanceprompt', instance_prompt: info.classToken || info.classTokens }),
      repeats: 0,
      ...sizing,
      cache_dir_vae: 'cache/vae/vrm-lora-regularisation',
    });
  }
  backends.push({
    id: 'vrm-lora-text-embeds',
    type: 'local',
    dataset_type: 'text_embeds',
    default: true,
    cache_dir: 'cache/text',
  });
  return `${JSON.stringify(backends, null, 2)}\n`;
}
