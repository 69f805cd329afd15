// A room may have a video, as it has photos: an https address of an .mp4 and the picture shown
// before it plays; null (every room before this) has none.
export default `
ALTER TABLE rooms ADD COLUMN video TEXT;
ALTER TABLE rooms ADD COLUMN video_poster TEXT;
`;
