import type { Options } from 'tsup';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig({ ...(packageBuild as Options) });
