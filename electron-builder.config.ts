import { parleyBuilderConfig } from './src/main/packaging/builder-config'

// What `npm run dist` packs: built from the tested decisions in src/main/packaging (fuses, files, targets).
export default parleyBuilderConfig()
