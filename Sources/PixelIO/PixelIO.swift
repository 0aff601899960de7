import CLibPNG
