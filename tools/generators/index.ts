/** The platform's Nx generators (`tools/generators.json` lists them for `npx nx g @hms/tools:<name>`). */
export { default as serviceGenerator, type ServiceGeneratorSchema } from './service/generator';
